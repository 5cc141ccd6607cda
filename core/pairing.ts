/**
 * Who each variant is compared with (issue 22): a compressed variant with the model it
 * was compressed from, a distilled model with its teacher, a model with the one its
 * config entry names in `compareTo`, a model recovered by quantization-aware training
 * (`recoveredFrom`) and its compressed variants with the model it was recovered from; any other model stands on its own. Run records
 * written before this rule (no `pairing` field) compared every variant with the one
 * global `baseline`, and are read that way.
 */
import type { RunRecord, VariantRecord } from './run-record.js';

/** The parts of a run record that decide the pairing. */
export type PairingView = Pick<RunRecord, 'baseline' | 'variants' | 'pairing'>;

/** The id of the variant `variantId` is compared with, or undefined when it stands on its own. */
export function comparedToOf(record: PairingView, variantId: string): string | undefined {
  if (record.pairing === 'parent') return record.variants.find((v) => v.id === variantId)?.comparedTo;
  return variantId === record.baseline ? undefined : record.baseline;
}

/** True when the variant has something to be compared with. */
export function isCompared(record: PairingView, variantId: string): boolean {
  return comparedToOf(record, variantId) !== undefined;
}

/**
 * True when the variant ran the suite: every variant runs every suite of the run unless its
 * model's config entry named its own `suites` (then the record lists them on the variant).
 * A cell the run never planned is not a missing result: reports leave it blank, the gate
 * does not apply suite rules to it.
 */
export function ranSuite(record: Pick<RunRecord, 'variants'>, variantId: string, suiteId: string): boolean {
  const own = record.variants.find((v) => v.id === variantId)?.suites;
  return own === undefined || own.includes(suiteId);
}

/** The run's suites the variant ran, in record order (see {@link ranSuite}). */
export function suitesRunBy<S extends { readonly id: string }>(record: Pick<RunRecord, 'variants'> & { readonly suites: readonly S[] }, variantId: string): S[] {
  return record.suites.filter((s) => ranSuite(record, variantId, s.id));
}

/** A model family: a model as it is and the variants compressed from it, in record order. */
export interface VariantFamily {
  /** The model id (`teacher`, `stories260k`). */
  readonly model: string;
  readonly variants: readonly VariantRecord[];
}

/**
 * The run's variants grouped by model family, families in the order their first variant
 * appears. Reports print one table per family so two models' variants never share a cell.
 */
export function variantFamilies(record: Pick<RunRecord, 'variants'>): VariantFamily[] {
  const byModel = new Map<string, VariantRecord[]>();
  for (const v of record.variants) {
    const list = byModel.get(v.model) ?? [];
    list.push(v);
    byModel.set(v.model, list);
  }
  return [...byModel].map(([model, variants]) => ({ model, variants }));
}

/** One line that says what a variant is compared with, for report captions. */
export function pairingLine(record: PairingView): string {
  if (record.pairing !== 'parent') return `every variant against the baseline '${record.baseline}'`;
  return 'each compressed variant against the model it was compressed from, a distilled model against its teacher, a model against the one its config names in compareTo, a QAT-recovered model and its variants against the model it was recovered from; other models stand on their own';
}
