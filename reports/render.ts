import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureWritableDir, writeFileAtomic, type WriteOrigin } from '../core/atomic-write.js';
import { pairingLine } from '../core/pairing.js';
import type { ChartSpec } from './charts.js';
import { junitXml } from './ci/junit.js';
import { markdownSummary } from './ci/markdown-summary.js';
import { defaultChangeLogDir } from './change/change-log.js';
import { writeChangeRecords } from './change/write.js';
import { resultsCsv } from './csv.js';
import type { Section } from './document.js';
import { readHistory } from './history-reader.js';
import { pageHtml } from './html/page.js';
import { summaryHtml } from './html/summary.js';
import { loadRun, type LoadedRun } from './load-run.js';
import { writeChartPngs } from './png.js';
import type { BuiltSection, ReportInput } from './sections/built.js';
import { agreementSection } from './sections/agreement.js';
import { distillSection } from './sections/distill.js';
import { recoverySection } from './sections/recovery.js';
import { flipsSection } from './sections/flips.js';
import { generationLengthsSection } from './sections/generation-lengths.js';
import { gateSection } from './sections/gate.js';
import { heatmapSection } from './sections/heatmap.js';
import { historySection, type HistoryResult } from './sections/history.js';
import { kernelsSection } from './sections/kernels.js';
import { knowledgeSection } from './sections/knowledge.js';
import { measurementsSection } from './sections/measurements.js';
import { savingsSection } from './sections/savings.js';
import { paretoSection } from './sections/pareto.js';
import { perplexitySection } from './sections/perplexity.js';
import { previousRunSection } from './sections/previous-run.js';
import { provenanceSection } from './sections/provenance.js';
import { fairnessSection, rareWordsSection } from './sections/slices.js';
import { templatesSection } from './sections/templates.js';
import { runSummary } from './summary/index.js';

/** Settings of {@link renderReport}. */
export interface RenderOptions {
  /** Where the report goes (default `<runDir>/report`). */
  readonly outDir?: string;
  /** An earlier run of the same models: shown beside this one, and its change-log folder is continued. */
  readonly baselineRunDir?: string;
  /** Folder of the append-only change logs (default: `changes-log/` beside the run folder, or beside the baseline run). */
  readonly changeLogDir?: string;
  /** History database (default: `history.sqlite` beside the run folder, e.g. `runs/history.sqlite`). */
  readonly historyDb?: string;
  /** Write charts/*.png (default true). */
  readonly pngs?: boolean;
  /** Clock for the generated date (tests pin it). */
  readonly now?: () => Date;
}

/** What {@link renderReport} wrote. */
export interface RenderResult {
  readonly outDir: string;
  /** Every file written, absolute paths. */
  readonly files: readonly string[];
  readonly durationMs: number;
}

/** Section ids of report.html below its summary, in page order, each collapsed (the browser test checks each is present). */
export const REPORT_SECTION_IDS = [
  'gate', 'heatmap', 'templates', 'pareto', 'knowledge', 'rare-words', 'fairness', 'flips', 'generation-lengths', 'perplexity', 'agreement', 'distill', 'recovery', 'measurements', 'savings', 'kernels', 'provenance', 'history',
] as const;

/** The report's sections and charts, in page order. */
export function buildSections(input: ReportInput, history: HistoryResult, previous?: LoadedRun): BuiltSection[] {
  const built = [
    gateSection(input),
    heatmapSection(input),
    templatesSection(input),
    paretoSection(input),
    knowledgeSection(input),
    rareWordsSection(input),
    fairnessSection(input),
    flipsSection(input),
    generationLengthsSection(input),
    perplexitySection(input),
    agreementSection(input),
    distillSection(input),
    recoverySection(input),
    measurementsSection(input),
    savingsSection(input),
    kernelsSection(input),
    provenanceSection(input),
    historySection(history),
  ];
  if (previous) built.splice(2, 0, previousRunSection(input.record, previous.record, previous.dir));
  return built;
}

/**
 * Renders a run folder into `report.html` (one self-contained file), `charts/*.png`,
 * `results.csv`, `junit.xml` (the gate rules for CI), `summary.md` (for a GitHub job
 * summary or pull-request comment) and `changes/<variant>.md|html`, reading only run.json and
 * instances.jsonl. A run record this version cannot read fails with an InputError. Every
 * file is written atomically: a full disk or a read-only folder leaves the old file or
 * none, and one line naming the path and the flag (`--out`, `--change-log-dir`).
 */
export async function renderReport(runDir: string, options: RenderOptions = {}): Promise<RenderResult> {
  const start = performance.now();
  const run = loadRun(runDir);
  const previous = options.baselineRunDir === undefined ? undefined : loadRun(options.baselineRunDir);
  const outDir = resolve(options.outDir ?? join(runDir, 'report'));
  const generatedAt = (options.now?.() ?? new Date()).toISOString();
  const origin: WriteOrigin = { flag: '--out', given: options.outDir !== undefined };
  ensureWritableDir(outDir, origin);
  const chartsDir = ensureWritableDir(join(outDir, 'charts'), { flag: '--out' });
  const historyDb = options.historyDb ?? join(dirname(resolve(runDir)), 'history.sqlite');
  const history = await readHistory(existsSync(historyDb) ? historyDb : undefined);
  const built = buildSections({ record: run.record, instances: run.instances }, history, previous);
  const sections: Section[] = built.map((b) => b.section);
  const charts: ChartSpec[] = built.flatMap((b) => b.charts);
  const { record } = run;
  const files: string[] = [];
  const html = join(outDir, 'report.html');
  const subtitle = `Run ${record.runId}, created ${record.createdAt}; ${pairingLine(record)}; ${record.variants.length} variants × ${record.suites.length} suites; report generated ${generatedAt} from run.json and instances.jsonl only.`;
  writeFileAtomic(html, pageHtml(`compbench report: ${record.runId}`, subtitle, sections, charts, { summaryHtml: summaryHtml(runSummary(record)) }), origin);
  files.push(html);
  if (options.pngs ?? true) files.push(...(await writeChartPngs(charts, chartsDir)));
  const csv = join(outDir, 'results.csv');
  writeFileAtomic(csv, resultsCsv(record), origin);
  files.push(csv);
  const junit = join(outDir, 'junit.xml');
  writeFileAtomic(junit, junitXml(record), origin);
  const summary = join(outDir, 'summary.md');
  writeFileAtomic(summary, markdownSummary(record), origin);
  files.push(junit, summary);
  const runJsonSha256 = createHash('sha256').update(readFileSync(join(runDir, 'run.json'))).digest('hex');
  const logDir = options.changeLogDir ?? defaultChangeLogDir(options.baselineRunDir ?? runDir);
  files.push(...writeChangeRecords(run, outDir, logDir, runJsonSha256, generatedAt, history));
  return { outDir, files, durationMs: performance.now() - start };
}
