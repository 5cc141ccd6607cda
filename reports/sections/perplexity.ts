import type { RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatDelta, formatSummary } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/** Perplexity within this relative change counts as "barely moved". */
export const PPL_STABLE_RELATIVE = 0.05;
/** A knowledge drop larger than this (5 points) counts as a real loss. */
export const KNOWLEDGE_DROP = 0.05;

/** How perplexity and knowledge accuracy moved for one variant, and whether they disagree. */
export interface PerplexityVerdict {
  readonly variantId: string;
  /** Δ perplexity / baseline perplexity. */
  readonly pplRelative: number | null;
  /** Δ knowledge accuracy (share). */
  readonly knowledgeDelta: number | null;
  readonly hidesLoss: boolean;
}

/** Compares perplexity's relative change with the knowledge-closed Δ per non-baseline variant. */
export function perplexityVerdicts(record: RunRecord): PerplexityVerdict[] {
  const kMetric = primaryMetric(record, 'knowledge-closed');
  return orderedVariants(record)
    .filter((v) => v.id !== record.baseline)
    .map((v) => {
      const ppl = comparisonOf(cellOf(record, v.id, 'perplexity'), 'perplexity')?.delta;
      const k = kMetric ? comparisonOf(cellOf(record, v.id, 'knowledge-closed'), kMetric)?.delta : undefined;
      const pplRelative = ppl && Number.isFinite(ppl.delta) && ppl.baselineMean !== 0 ? ppl.delta / ppl.baselineMean : null;
      const knowledgeDelta = k && Number.isFinite(k.delta) ? k.delta : null;
      const hidesLoss = pplRelative !== null && knowledgeDelta !== null && Math.abs(pplRelative) <= PPL_STABLE_RELATIVE && knowledgeDelta < -KNOWLEDGE_DROP;
      return { variantId: v.id, pplRelative, knowledgeDelta, hidesLoss };
    });
}

/** Perplexity beside knowledge accuracy, with a callout wherever perplexity hides a knowledge loss. */
export function perplexitySection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const kMetric = primaryMetric(record, 'knowledge-closed');
  if (!record.suites.some((s) => s.id === 'perplexity')) {
    blocks.push(para('This run has no perplexity suite.', 'warn'));
    return { section: { id: 'perplexity', title: 'Perplexity vs knowledge', blocks }, charts: [] };
  }
  const verdicts = new Map(perplexityVerdicts(record).map((v) => [v.variantId, v]));
  const rows = orderedVariants(record).map((v) => {
    const ppl = metricOf(cellOf(record, v.id, 'perplexity'), 'perplexity');
    const pplDelta = comparisonOf(cellOf(record, v.id, 'perplexity'), 'perplexity')?.delta;
    const k = kMetric ? metricOf(cellOf(record, v.id, 'knowledge-closed'), kMetric) : undefined;
    const kDelta = kMetric ? comparisonOf(cellOf(record, v.id, 'knowledge-closed'), kMetric)?.delta : undefined;
    const verdict = verdicts.get(v.id);
    return [
      v.id,
      numCell(formatSummary(ppl?.overall, 'ppl'), ppl?.overall.value),
      numCell(verdict?.pplRelative == null ? 'n/a' : `${formatDelta(pplDelta, 'ppl')} (${(verdict.pplRelative * 100).toFixed(1)}%)`, verdict?.pplRelative),
      numCell(formatSummary(k?.overall, ''), k?.overall.value),
      numCell(formatDelta(kDelta, ''), kDelta?.delta),
      v.id === record.baseline ? 'baseline' : verdict?.hidesLoss ? { text: 'perplexity hides this loss', tone: '#f4b6b6' } : 'consistent',
    ];
  });
  blocks.push(para(`Perplexity is reported beside closed-book knowledge because it hides knowledge loss (LLM-KICK): a callout marks every variant whose perplexity moved by at most ${PPL_STABLE_RELATIVE * 100}% while ${kMetric ?? 'knowledge'} fell by more than ${KNOWLEDGE_DROP * 100} points.`));
  for (const v of verdicts.values()) {
    if (v.hidesLoss) blocks.push(para(`${v.variantId}: perplexity hides this loss: perplexity changed ${(v.pplRelative! * 100).toFixed(1)}% but knowledge-closed ${kMetric} fell ${(-v.knowledgeDelta! * 100).toFixed(1)} points.`, 'bad'));
  }
  blocks.push(table({ id: 'perplexity-table', columns: ['variant', 'perplexity', 'Δ perplexity', `knowledge-closed ${kMetric ?? ''}`.trim(), 'Δ knowledge', 'reading'], rows }));
  return { section: { id: 'perplexity', title: 'Perplexity vs knowledge', blocks }, charts: [] };
}
