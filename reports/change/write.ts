import { join } from 'node:path';
import { ensureWritableDir, writeFileAtomic } from '../../core/atomic-write.js';
import type { Section } from '../document.js';
import { pageHtml } from '../html/page.js';
import type { LoadedRun } from '../load-run.js';
import { documentMarkdown } from '../markdown.js';
import { compressedVariants, parentOf } from '../record-view.js';
import type { VariantRecord } from '../../core/run-record.js';
import { appendChangeLog, changeLogFile, readChangeLog, type ChangeLogEntry } from './change-log.js';
import type { ChangeContext } from './context.js';
import { gateForRecords, type RecordGate } from './gate-verdict.js';
import { screenVariant, type Screening } from './screening.js';
import type { HistoryResult } from '../sections/history.js';
import { changeLogSection, instructionsSection, monitoringSection, risksSection, signOffSection } from './sections-governance.js';
import { identitySection, modificationSection, protocolSection, screeningSection } from './sections-protocol.js';
import { efficiencySection, fairnessChangeSection, resultsSection } from './sections-results.js';

/** The twelve sections of DESIGN.md §9, in order. */
export function changeRecordSections(ctx: ChangeContext): Section[] {
  return [
    identitySection(ctx),
    modificationSection(ctx),
    screeningSection(ctx),
    protocolSection(ctx),
    resultsSection(ctx),
    fairnessChangeSection(ctx),
    risksSection(ctx),
    efficiencySection(ctx),
    instructionsSection(ctx),
    monitoringSection(ctx),
    signOffSection(ctx),
    changeLogSection(ctx),
  ];
}

/** A variant id as a file name (`teacher/rtn-w4` → `teacher_rtn-w4`). */
export function variantFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/gu, '_');
}

/**
 * Writes `changes/<variant>.md` and `.html` for every compressed variant (method ≠ none)
 * (atomically, under `--out`) and appends one entry per variant to its model's change
 * log in `logDir`. Screening uses the run's gate verdict (or the default policy when
 * the run recorded none); §10 shows `history` when a history store was read.
 */
export function writeChangeRecords(run: LoadedRun, outDir: string, logDir: string, runJsonSha256: string, generatedAt: string, history?: HistoryResult): string[] {
  const { record } = run;
  const files: string[] = [];
  const variants = compressedVariants(record);
  if (variants.length === 0) return files;
  const dir = ensureWritableDir(join(outDir, 'changes'), { flag: '--out' });
  // Log every variant first, so each record's §12 shows the log including this run's entries.
  const gate = gateForRecords(record);
  const screenings = new Map(variants.map((v) => [v.id, screenVariant(record, v, gate.verdict)]));
  for (const variant of variants) appendChangeLog(changeLogFile(logDir, variant.model), logEntry(run, variant, screenings.get(variant.id)!, gate, runJsonSha256, generatedAt));
  for (const variant of variants) {
    const logFile = changeLogFile(logDir, variant.model);
    const baseline = record.variants.find((v) => v.id === parentOf(record, variant.id));
    const ctx: ChangeContext = { record, instances: run.instances, variant, baseline, gate, screening: screenings.get(variant.id)!, runJsonSha256, log: readChangeLog(logFile), logFile, generatedAt, ...(history ? { history } : {}) };
    const sections = changeRecordSections(ctx);
    const title = `Change record: ${variant.id}`;
    const subtitle = `Generated ${generatedAt} from run ${record.runId}; every number is taken from the run record.`;
    const base = join(dir, variantFileName(variant.id));
    writeFileAtomic(`${base}.md`, documentMarkdown(title, sections, subtitle), { flag: '--out' });
    writeFileAtomic(`${base}.html`, pageHtml(title, subtitle, sections, []), { flag: '--out' });
    files.push(`${base}.md`, `${base}.html`);
  }
  return files;
}

function logEntry(run: LoadedRun, variant: VariantRecord, screening: Screening, gate: RecordGate, runJsonSha256: string, generatedAt: string): ChangeLogEntry {
  const { record } = run;
  const rules = gate.verdict.rules.filter((r) => r.variantId === variant.id);
  return {
    loggedAt: generatedAt,
    runId: record.runId,
    runCreatedAt: record.createdAt,
    variantId: variant.id,
    model: variant.model,
    method: variant.method,
    params: variant.params,
    executionForm: variant.executionForm,
    modelSha256: variant.modelSha256,
    baselineSha256: record.variants.find((v) => v.id === parentOf(record, variant.id))?.modelSha256 ?? null,
    runJsonSha256,
    gitSha: record.harness.gitSha,
    screening: screening.state,
    gate: rules.length === 0 ? 'not-gated' : rules.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
  };
}
