import { suitesRunBy } from '../../core/pairing.js';
import type { RunRecord, VariantRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatBytes, formatDelta, formatSummary } from '../format.js';
import { cellOf, comparisonOf, metricOf, primaryMetric } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/** A quantized variant of a QAT-recovered model with the PTQ variant of the same method and params on the model it was recovered from. */
export interface RecoveryPair {
  /** The fp32 model both are compared with (`teacher`). */
  readonly base: string;
  /** The recovered model's fp32 latent weights as they are (`teacher-qat-w3`). */
  readonly latent: string;
  /** PTQ: `teacher/rtn-w3-g32`; undefined when the run lacks it. */
  readonly ptq: VariantRecord | undefined;
  /** QAT: `teacher-qat-w3/rtn-w3-g32`. */
  readonly qat: VariantRecord;
}

/** Every compressed variant of a model with `recoveredFrom`, paired with its PTQ twin (same variant slug on the recovered-from model). */
export function recoveryPairs(record: Pick<RunRecord, 'variants'>): RecoveryPair[] {
  return record.variants
    .filter((v): v is VariantRecord & { recoveredFrom: string } => typeof v.recoveredFrom === 'string' && v.id !== v.model)
    .map((qat) => ({
      base: qat.recoveredFrom,
      latent: qat.model,
      ptq: record.variants.find((p) => p.id === `${qat.recoveredFrom}/${qat.id.slice(qat.model.length + 1)}`),
      qat,
    }));
}

/** PTQ vs QAT at equal bits: each one's paired Δ against the same fp32 model, per suite. */
export function recoverySection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const pairs = recoveryPairs(record);
  if (pairs.length === 0) blocks.push(para('No variant in this run comes from a QAT-recovered model (recoveredFrom).'));
  for (const { base, latent, ptq, qat } of pairs) {
    if (!ptq) {
      blocks.push(para(`${qat.id} has no PTQ twin ${base}/${qat.id.slice(latent.length + 1)} in this run: no comparison.`, 'warn'));
      continue;
    }
    blocks.push(para(`${ptq.id} (PTQ, ${formatBytes(ptq.sizeBytes)}) vs ${qat.id} (QAT: ${latent}, recovered from ${base} by training against the same grid, then quantized by the same method; ${formatBytes(qat.sizeBytes)}). Δ = variant − ${base}, paired, 95% CI; the latent column is ${latent}'s fp32 weights before quantization.`));
    const rows = suitesRunBy(record, qat.id).map((suite) => {
      const metric = primaryMetric(record, suite.id) ?? '';
      const baseMetric = metricOf(cellOf(record, base, suite.id), metric);
      const unit = baseMetric?.unit ?? '';
      const delta = (id: string): TableCell => {
        const c = comparisonOf(cellOf(record, id, suite.id), metric);
        return numCell(formatDelta(c?.delta, unit, c?.power), c?.delta.delta);
      };
      return [suite.id, metric, numCell(formatSummary(baseMetric?.overall, unit), baseMetric?.overall.value), delta(ptq.id), delta(qat.id), delta(latent)];
    });
    blocks.push(table({ id: `recovery-${qat.id}`, columns: ['suite', 'metric', `${base} (fp32)`, `PTQ ${ptq.id} Δ`, `QAT ${qat.id} Δ`, `latent ${latent} Δ`], rows }));
  }
  return { section: { id: 'recovery', title: 'PTQ vs quantization-aware recovery', blocks }, charts: [] };
}
