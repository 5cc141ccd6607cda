import type { RunRecord, SuiteRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatDelta, formatSummary } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, parentOf, primaryMetric } from '../record-view.js';
import { roleBlockId, suitesWithRole } from '../roles.js';
import type { BuiltSection, ReportInput } from './built.js';

/** Perplexity within this relative change counts as "barely moved". */
export const PPL_STABLE_RELATIVE = 0.05;
/** A knowledge drop larger than this (5 points) counts as a real loss. */
export const KNOWLEDGE_DROP = 0.05;

/** How a perplexity suite and a closed-book knowledge suite moved for one variant, and whether they disagree. */
export interface PerplexityVerdict {
  readonly variantId: string;
  /** The suite with role perplexity. */
  readonly perplexitySuite: string;
  /** The suite with role knowledge-closed. */
  readonly knowledgeSuite: string;
  readonly knowledgeMetric: string;
  /** Δ perplexity / baseline perplexity. */
  readonly pplRelative: number | null;
  /** Δ knowledge accuracy (share). */
  readonly knowledgeDelta: number | null;
  readonly hidesLoss: boolean;
}

/** The metric a perplexity-role suite is read by: `perplexity` when it reports it, else its primary metric. */
export function perplexityMetric(suite: SuiteRecord): string {
  return suite.metrics.includes('perplexity') ? 'perplexity' : suite.metrics[0];
}

/**
 * Compares each perplexity suite's relative change with each closed-book knowledge
 * suite's Δ, per variant compared with a parent (suites selected by role).
 */
export function perplexityVerdicts(record: RunRecord): PerplexityVerdict[] {
  const closed = suitesWithRole(record, 'knowledge-closed');
  return orderedVariants(record)
    .filter((v) => parentOf(record, v.id) !== undefined)
    .flatMap((v) =>
      suitesWithRole(record, 'perplexity').flatMap((p) =>
        closed.map((k) => {
          const kMetric = primaryMetric(record, k.id)!;
          const ppl = comparisonOf(cellOf(record, v.id, p.id), perplexityMetric(p))?.delta;
          const kd = comparisonOf(cellOf(record, v.id, k.id), kMetric)?.delta;
          const pplRelative = ppl && Number.isFinite(ppl.delta) && ppl.baselineMean !== 0 ? ppl.delta / ppl.baselineMean : null;
          const knowledgeDelta = kd && Number.isFinite(kd.delta) ? kd.delta : null;
          const hidesLoss = pplRelative !== null && knowledgeDelta !== null && Math.abs(pplRelative) <= PPL_STABLE_RELATIVE && knowledgeDelta < -KNOWLEDGE_DROP;
          return { variantId: v.id, perplexitySuite: p.id, knowledgeSuite: k.id, knowledgeMetric: kMetric, pplRelative, knowledgeDelta, hidesLoss };
        }),
      ),
    );
}

/** Perplexity beside closed-book knowledge, with a callout wherever perplexity hides a knowledge loss. */
export function perplexitySection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const suites = suitesWithRole(record, 'perplexity');
  if (suites.length === 0) {
    blocks.push(para("This run has no suite with role 'perplexity' (suite.json \"role\").", 'warn'));
    return { section: { id: 'perplexity', title: 'Perplexity vs knowledge', blocks }, charts: [] };
  }
  const closed = suitesWithRole(record, 'knowledge-closed');
  const verdicts = perplexityVerdicts(record);
  blocks.push(
    para(
      closed.length === 0
        ? "Perplexity hides knowledge loss (LLM-KICK): read it beside a closed-book knowledge suite. This run has no suite with role 'knowledge-closed' to compare with."
        : `Perplexity is reported beside closed-book knowledge because it hides knowledge loss (LLM-KICK): a callout marks every variant whose perplexity moved by at most ${PPL_STABLE_RELATIVE * 100}% while ${closed.map((k) => `${k.id} ${primaryMetric(record, k.id)}`).join(' or ')} fell by more than ${KNOWLEDGE_DROP * 100} points.`,
    ),
  );
  for (const v of verdicts) {
    if (v.hidesLoss) blocks.push(para(`${v.variantId}: perplexity hides this loss: ${v.perplexitySuite} changed ${(v.pplRelative! * 100).toFixed(1)}% but ${v.knowledgeSuite} ${v.knowledgeMetric} fell ${(-v.knowledgeDelta! * 100).toFixed(1)} points.`, 'bad'));
  }
  suites.forEach((p, index) => blocks.push(perplexityTable(record, p, closed, verdicts, index, suites.length > 1)));
  return { section: { id: 'perplexity', title: 'Perplexity vs knowledge', blocks }, charts: [] };
}

function perplexityTable(record: RunRecord, p: SuiteRecord, closed: readonly SuiteRecord[], verdicts: readonly PerplexityVerdict[], index: number, captioned: boolean): Block {
  const metric = perplexityMetric(p);
  const unit = metric === 'perplexity' ? 'ppl' : metric;
  const one = closed.length === 1;
  const rows = orderedVariants(record).map((v) => {
    const ppl = metricOf(cellOf(record, v.id, p.id), metric);
    const pplCmp = comparisonOf(cellOf(record, v.id, p.id), metric);
    const mine = verdicts.filter((x) => x.variantId === v.id && x.perplexitySuite === p.id);
    const relative = mine[0]?.pplRelative ?? null;
    const knowledge: TableCell[] = closed.flatMap((k) => {
      const kMetric = primaryMetric(record, k.id)!;
      const m = metricOf(cellOf(record, v.id, k.id), kMetric);
      const c = comparisonOf(cellOf(record, v.id, k.id), kMetric);
      return [numCell(formatSummary(m?.overall, ''), m?.overall.value), numCell(formatDelta(c?.delta, '', c?.power), c?.delta.delta)];
    });
    return [
      v.id,
      numCell(formatSummary(ppl?.overall, unit), ppl?.overall.value),
      numCell(relative === null ? 'n/a' : `${formatDelta(pplCmp?.delta, unit, pplCmp?.power)} (${(relative * 100).toFixed(1)}%)`, relative),
      ...knowledge,
      parentOf(record, v.id) === undefined ? 'stands on its own' : mine.some((x) => x.hidesLoss) ? { text: 'perplexity hides this loss', tone: '#f4b6b6' } : 'consistent',
    ];
  });
  const knowledgeColumns = closed.flatMap((k) => [`${k.id} ${primaryMetric(record, k.id)}`, one ? 'Δ knowledge' : `Δ ${k.id}`]);
  return table({
    id: roleBlockId('perplexity-table', index, p.id),
    ...(captioned ? { caption: p.id } : {}),
    columns: ['variant', metric, `Δ ${metric}`, ...knowledgeColumns, 'reading'],
    rows,
  });
}

