/**
 * What a variant saves against its parent (issue 24), in the units a deployment decision
 * is made in: bytes on disk, bits per parameter stored, peak memory, tokens per second,
 * energy per 1,000 tokens, weight memory projected to 1B–70B parameters, KV bytes per
 * 1,000 context tokens and, with a config `cost`, dollars per million generated tokens.
 * Pure: reads the variant records and measurements of a run record.
 */
import type { KvCapacityRecord, MeasurementRecord, VariantRecord, WeightStorageRecord } from './run-record.js';

/** A reference model size for the weight projection, with the embedding + head parameters assumed at that size. */
export interface ProjectionScale {
  readonly label: string;
  readonly parameters: number;
  /** Token embedding + output head parameters of the reference architecture (vocab × hidden, × 2 when untied). */
  readonly embeddingParameters: number;
  readonly reference: string;
}

/** The sizes the savings project weight memory to. */
export const PROJECTION_SCALES: readonly ProjectionScale[] = [
  { label: '1B', parameters: 1e9, embeddingParameters: 128256 * 2048, reference: 'Llama 3.2 1B shape: vocab 128256 × hidden 2048, tied head' },
  { label: '7B', parameters: 7e9, embeddingParameters: 32000 * 4096 * 2, reference: 'Llama 2 7B shape: vocab 32000 × hidden 4096, untied head' },
  { label: '13B', parameters: 13e9, embeddingParameters: 32000 * 5120 * 2, reference: 'Llama 2 13B shape: vocab 32000 × hidden 5120, untied head' },
  { label: '70B', parameters: 70e9, embeddingParameters: 32000 * 8192 * 2, reference: 'Llama 2 70B shape: vocab 32000 × hidden 8192, untied head' },
];

/** The projection's formula, as recorded beside its figures. */
export const PROJECTION_FORMULA =
  'bytes(N) = (N − E_N) × b_body / 8 + E_N × b_emb / 8, with b_body and b_emb the bits per parameter this file stores for its body and for its embedding + head (scales and zero points included), and E_N the embedding + head parameters of a reference architecture of N parameters; activations and the KV cache are not included';

/** The cost formula, as recorded beside its figures. */
export const COST_FORMULA = 'USD per 1M generated tokens = usdPerHour / 3600 / decode tokens per second × 1e6 (single stream, batch 1, the measured hardware)';

/** A figure of the variant beside its parent's. */
export interface Versus {
  readonly variant: number;
  readonly parent: number;
}

/** Weight memory at one projected size. */
export interface ProjectedWeights {
  readonly label: string;
  readonly parameters: number;
  readonly bytes: number;
  readonly parentBytes: number;
}

/** Savings of one variant against its parent; `not-applicable` says why there are none. */
export type SavingsRecord =
  | {
      readonly state: 'computed';
      readonly variantId: string;
      readonly parent: string;
      readonly diskBytes: Versus & { readonly saving: number };
      readonly bitsPerParameter?: Versus;
      readonly peakRssBytes: Versus & { readonly saving: number };
      /** prompt tokens / p50 prefill seconds. */
      readonly prefillTokensPerS: Versus & { readonly speedup: number };
      readonly decodeTokensPerS: Versus & { readonly speedup: number };
      readonly energyJPer1kTokens: Versus & { readonly provenance: string; readonly parentProvenance: string };
      readonly weightProjection?: { readonly formula: string; readonly scales: readonly ProjectedWeights[] };
      readonly kvCache?: { readonly variant: KvCapacityRecord; readonly parent: KvCapacityRecord };
      readonly cost?: { readonly usdPerHour: number; readonly usdPerMillionTokens: Versus; readonly formula: string };
      /** Either side's figures were replayed from the measurement cache. */
      readonly replayed: boolean;
    }
  | { readonly state: 'not-applicable'; readonly variantId: string; readonly parent?: string; readonly reason: string };

type Measured = Extract<MeasurementRecord, { state: 'measured' }>;

/** Weight bytes of a model stored as `w` at `scale` (see {@link PROJECTION_FORMULA}). */
export function projectedWeightBytes(w: WeightStorageRecord, scale: ProjectionScale): number {
  const embBits = w.embedding.parameters > 0 ? w.embedding.bitsPerParameter : w.body.bitsPerParameter;
  return ((scale.parameters - scale.embeddingParameters) * w.body.bitsPerParameter + scale.embeddingParameters * embBits) / 8;
}

/** USD per million generated tokens (see {@link COST_FORMULA}). */
export function usdPerMillionTokens(usdPerHour: number, decodeTokensPerS: number): number {
  return (usdPerHour / 3600 / decodeTokensPerS) * 1e6;
}

/** Prompt tokens per second of a measured prefill (its p50). */
export function prefillTokensPerS(m: Measured): number {
  return m.prefill.promptTokens / (m.prefill.p50Ms / 1000);
}

const ratio = (variant: number, parent: number): Versus & { speedup: number } => ({ variant, parent, speedup: variant / parent });
const saving = (variant: number, parent: number): Versus & { saving: number } => ({ variant, parent, saving: 1 - variant / parent });

function unmeasured(m: MeasurementRecord | undefined, who: string): string | undefined {
  if (!m) return `${who} was not measured (measurement off)`;
  if (m.state === 'errored') return `${who}'s measurement errored: ${m.error}`;
  if (m.state === 'not-applicable') return `${who} is simulated: ${m.reason}`;
  return undefined;
}

/** Savings of one variant against its `comparedTo` (n/a for a simulated variant, one without a parent, or an unmeasured side). */
export function variantSavings(
  variant: VariantRecord,
  variants: readonly VariantRecord[],
  measurements: readonly MeasurementRecord[] | undefined,
  cost: { readonly usdPerHour: number } | undefined,
): SavingsRecord {
  const variantId = variant.id;
  if (variant.executionForm === 'simulated') return { state: 'not-applicable', variantId, reason: 'n/a (simulated): its weights are dequantized fp32, nothing is saved at run time' };
  const parentId = variant.comparedTo;
  const parent = variants.find((v) => v.id === parentId);
  if (!parent || parentId === undefined) return { state: 'not-applicable', variantId, reason: 'stands on its own: no parent to save against' };
  const mv = measurements?.find((m) => m.variantId === variantId);
  const mp = measurements?.find((m) => m.variantId === parentId);
  const why = unmeasured(mv, variantId) ?? unmeasured(mp, `parent ${parentId}`);
  if (why) return { state: 'not-applicable', variantId, parent: parentId, reason: why };
  const v = mv as Measured;
  const p = mp as Measured;
  const vw = variant.weights;
  const pw = parent.weights;
  return {
    state: 'computed',
    variantId,
    parent: parentId,
    diskBytes: saving(v.sizeBytes, p.sizeBytes),
    ...(vw && pw ? { bitsPerParameter: { variant: vw.bitsPerParameter, parent: pw.bitsPerParameter } } : {}),
    peakRssBytes: saving(v.peakRssBytes, p.peakRssBytes),
    prefillTokensPerS: ratio(prefillTokensPerS(v), prefillTokensPerS(p)),
    decodeTokensPerS: ratio(v.decode.tokensPerS, p.decode.tokensPerS),
    energyJPer1kTokens: { variant: v.energy.joulesPerToken * 1000, parent: p.energy.joulesPerToken * 1000, provenance: v.energy.provenance, parentProvenance: p.energy.provenance },
    ...(vw && pw
      ? { weightProjection: { formula: PROJECTION_FORMULA, scales: PROJECTION_SCALES.map((s) => ({ label: s.label, parameters: s.parameters, bytes: projectedWeightBytes(vw, s), parentBytes: projectedWeightBytes(pw, s) })) } }
      : {}),
    ...(variant.kvCapacity && parent.kvCapacity ? { kvCache: { variant: variant.kvCapacity, parent: parent.kvCapacity } } : {}),
    ...(cost
      ? { cost: { usdPerHour: cost.usdPerHour, usdPerMillionTokens: { variant: usdPerMillionTokens(cost.usdPerHour, v.decode.tokensPerS), parent: usdPerMillionTokens(cost.usdPerHour, p.decode.tokensPerS) }, formula: COST_FORMULA } }
      : {}),
    replayed: v.replayed === true || p.replayed === true,
  };
}

/** Savings of every variant that has a parent, in variant order. */
export function runSavings(variants: readonly VariantRecord[], measurements: readonly MeasurementRecord[] | undefined, cost: { readonly usdPerHour: number } | undefined): SavingsRecord[] {
  return variants.filter((v) => v.comparedTo !== undefined).map((v) => variantSavings(v, variants, measurements, cost));
}
