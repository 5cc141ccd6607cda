import { savingsMethodBlock, variantSavingsBlocks } from '../sections/savings.js';
import { suitesRunBy } from '../../core/pairing.js';
import { roleOf } from '../../core/suite-roles.js';
import { numCell, para, table, type Block, type Section } from '../document.js';
import { formatBytes, formatDelta, formatDifference, formatFlipP, formatMs, formatSummary } from '../format.js';
import { cellOf, comparisonOf, measurementOf, metricOf, parentOf, sliceComparisonOf } from '../record-view.js';
import { roleSliceOf, suitesWithRole } from '../roles.js';
import { energyProvenance, notApplicableText } from '../sections/measurements.js';
import { answerOf, expectedOf, rightToWrong } from '../sections/flips.js';
import { bucketOrder } from '../sections/slices.js';
import type { ChangeContext } from './context.js';

/** Slice tags reported for every suite in §5 (knowledge and rare words by frequency); rare-words suites add their role slice. */
const RESULT_SLICE_TAGS = ['freq_bucket'];

/** Items lost per suite shown in §5. */
export const LOST_EXAMPLES = 3;

/** §5 results vs baseline with CIs, overall and per slice (Annex IV 3; Art. 15), with examples of items lost. */
export function resultsSection({ record, variant, instances, baseline }: ChangeContext): Section {
  const baseId = baseline?.id ?? parentOf(record, variant.id) ?? record.baseline;
  const overall: (string | ReturnType<typeof numCell>)[][] = [];
  const slices: (string | ReturnType<typeof numCell>)[][] = [];
  for (const suite of suitesRunBy(record, variant.id)) {
    const cell = cellOf(record, variant.id, suite.id);
    if (!cell || cell.state === 'errored') {
      overall.push([suite.id, '—', 'n/a', 'n/a', cell ? `errored: ${cell.error}` : 'not run', 'n/a']);
      continue;
    }
    for (const metric of suite.metrics) {
      const m = metricOf(cell, metric);
      if (!m) continue;
      const base = metricOf(cellOf(record, baseId, suite.id), metric);
      const cmp = comparisonOf(cell, metric);
      const flips = cmp?.flips ? `${cmp.flips.rightToWrong} right→wrong, ${cmp.flips.wrongToRight} wrong→right (${formatFlipP(cmp.flips)})` : 'n/a';
      overall.push([suite.id, metric, formatSummary(base?.overall, m.unit), formatSummary(m.overall, m.unit), numCell(formatDelta(cmp?.delta, m.unit, cmp?.power), cmp?.delta.delta), flips]);
      const tags = roleOf(suite) === 'rare-words' && suite.roleSlice ? [...RESULT_SLICE_TAGS, suite.roleSlice] : RESULT_SLICE_TAGS;
      for (const b of m.slices.filter((s) => tags.includes(s.tag))) {
        const baseSlices = base?.slices.find((s) => s.tag === b.tag);
        for (const s of [...b.slices].sort((x, y) => bucketOrder(x.slice, y.slice))) {
          const bs = baseSlices?.slices.find((x) => x.slice === s.slice);
          const pairedCmp = sliceComparisonOf(cell, metric, s.tag, s.slice);
          const paired = pairedCmp?.delta;
          const diff = s.value !== null && bs?.value != null ? s.value - bs.value : null;
          const text = paired ? `${formatDelta(paired, m.unit, pairedCmp.power)} (paired)` : diff === null ? 'n/a' : `${formatDifference(diff, m.unit)} (unpaired)`;
          slices.push([suite.id, metric, `${s.tag}=${s.slice}`, formatSummary(bs, m.unit), formatSummary(s, m.unit), numCell(text, paired?.delta ?? diff)]);
        }
      }
    }
  }
  return {
    id: 'results',
    title: '5. Results vs baseline (Annex IV 3; Art. 15)',
    blocks: [
      para(`Every figure: value [95% CI], n. Baseline: ${baseId}, the model this variant was made from.`),
      table({ id: 'results-overall', columns: ['suite', 'metric', 'baseline', 'variant', 'Δ (paired)', 'flips'], rows: overall }),
      para('Knowledge and rare words by training frequency (Δ per slice on the same instances, with its paired 95% CI):'),
      table({ id: 'results-slices', columns: ['suite', 'metric', 'slice', 'baseline', 'variant', 'difference'], rows: slices }),
      ...lostExamples(record, baseId, variant.id, instances),
    ],
  };
}

function lostExamples(record: ChangeContext['record'], baseId: string, variantId: string, instances: ChangeContext['instances']): Block[] {
  const rows: string[][] = [];
  for (const suite of record.suites) {
    for (const { base, variant } of rightToWrong(instances, baseId, variantId, suite.id, suite.metrics[0]).slice(0, LOST_EXAMPLES)) {
      rows.push([suite.id, variant.instanceId, expectedOf(base), answerOf(base), answerOf(variant)]);
    }
  }
  if (rows.length === 0) return [para('No item was right in the baseline and wrong in this variant (or instances.jsonl is absent).')];
  return [
    para(`Examples of items lost (right in the baseline, wrong in this variant), up to ${LOST_EXAMPLES} per suite:`),
    table({ id: 'results-lost', columns: ['suite', 'item', 'expected', 'baseline answer', 'variant answer'], rows }),
  ];
}

/** §6 robustness and fairness: per-slice values, worst slice, gap and worst case, variant beside baseline. */
export function fairnessChangeSection({ record, variant, baseline }: ChangeContext): Section {
  const baseId = baseline?.id ?? record.baseline;
  const rows: (string | ReturnType<typeof numCell>)[][] = [];
  for (const suite of suitesWithRole(record, 'fairness', 'fairness-pairs')) {
    const metric = suite.metrics[0];
    const tag = roleSliceOf(record, suite, metric);
    for (const id of [baseId, variant.id]) {
      const m = metricOf(cellOf(record, id, suite.id), metric);
      const b = m?.slices.find((s) => s.tag === tag);
      rows.push([
        suite.id,
        id === baseId ? `${id} (baseline)` : id,
        b ? b.slices.map((s) => `${s.tag}=${s.slice}: ${formatSummary(s, m!.unit)}`).join('; ') : 'n/a',
        b?.worst ? `${b.worst.slice}: ${formatSummary(b.worst, m!.unit)}` : 'n/a',
        numCell(b?.maxGap == null ? 'n/a' : formatDifference(b.maxGap, m!.unit), b?.maxGap),
        m?.worstCase ? formatSummary(m.worstCase, m.unit) : 'n/a',
      ]);
    }
  }
  const blocks: Block[] = rows.length === 0
    ? [para('No fairness suite in this run: robustness across groups was not tested.', 'warn')]
    : [table({ id: 'fairness-change', columns: ['suite', 'variant', 'per slice', 'worst slice', 'max gap', 'worst case (HELM)'], rows })];
  return { id: 'fairness', title: '6. Robustness and fairness analysis (Annex IV 2(g), 3)', blocks };
}

/**
 * §8 efficiency and energy with the method. No legal point is cited: the AI Act's
 * energy items (Annex XI 1.2(d–e)) document the training of general-purpose models, not
 * the inference of a high-risk system, so these figures are reported for information.
 */
export function efficiencySection({ record, variant, baseline }: ChangeContext): Section {
  const rows = [baseline?.id ?? record.baseline, variant.id].map((id) => {
    const m = measurementOf(record, id);
    const v = record.variants.find((x) => x.id === id);
    if (!m || m.state !== 'measured') {
      const why = !m ? 'not measured' : m.state === 'not-applicable' ? notApplicableText(m.reason) : `errored: ${m.error}`;
      const short = !m ? 'not measured' : m.state === 'not-applicable' ? 'n/a (simulated)' : 'errored';
      return [id, v ? `${formatBytes(v.sizeBytes)} (${v.sizeBytes} bytes)` : 'n/a', short, short, short, why];
    }
    return [
      id,
      numCell(`${formatBytes(m.sizeBytes)} (${m.sizeBytes} bytes)`, m.sizeBytes),
      numCell(`${formatBytes(m.peakRssBytes)}`, m.peakRssBytes),
      numCell(`p50 ${formatMs(m.decode.p50Ms)}/token, ${m.decode.tokensPerS.toFixed(1)} tokens/s (${m.decode.samples} samples, ${m.intraOpNumThreads} threads)`, m.decode.p50Ms),
      numCell(`${m.energy.joulesPerToken.toPrecision(3)} J/token`, m.energy.joulesPerToken),
      energyProvenance(m),
    ];
  });
  return {
    id: 'efficiency',
    title: '8. Efficiency and energy (for information)',
    blocks: [
      para('Reported for information: no point of the AI Act requires inference speed or energy of a high-risk system in its technical documentation (the Act\'s energy items document the training of general-purpose models). Each figure states how it was obtained; estimates say so.'),
      table({ id: 'efficiency-table', columns: ['variant', 'size on disk', 'peak RSS', 'decode', 'energy', 'energy method'], rows }),
      ...variantSavingsBlocks(record, variant.id),
      savingsMethodBlock(record),
    ],
  };
}
