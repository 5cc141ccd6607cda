/**
 * The self-check's probe and comparison, shared by every backend: the same seeded token
 * ids go through the packed variant and its twin, and their logits are compared.
 */
import { createRng } from '../../core/rng.js';
import { OnnxDecoderAdapter } from '../backends/onnxruntime/onnx-adapter.js';

/** Probe: rows × tokens, token ids drawn from the vocabulary with this seed (fixed). */
export const PROBE = { rows: 2, tokens: 32, seed: 20261207 } as const;

/** The probe's token ids for a vocabulary of `vocab` entries: PROBE.rows rows of PROBE.tokens. */
export function probeRows(vocab: number): number[][] {
  const rng = createRng(PROBE.seed);
  return Array.from({ length: PROBE.rows }, () => Array.from({ length: PROBE.tokens }, () => rng.int(vocab)));
}

/** How two logit arrays differ. */
export interface LogitComparison {
  /** ‖a − b‖₂ / ‖b‖₂ (b is the twin). */
  readonly relRms: number;
  readonly maxAbs: number;
  /** False when the lengths differ or any value is NaN or ±Inf. */
  readonly finite: boolean;
}

/** Compares `a` (packed) with `b` (twin), both (rows, tokens, vocab) flattened. */
export function compareLogits(a: Float32Array, b: Float32Array): LogitComparison {
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  let finite = a.length === b.length;
  for (let i = 0; i < a.length && finite; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) finite = false;
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  return { relRms: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), maxAbs, finite };
}

/**
 * The probe through onnxruntime: the model folder `dir` on `threads` threads.
 * // rows (PROBE.rows, PROBE.tokens) -> logits (rows, tokens, vocab)
 */
export async function onnxLogitsOnProbe(dir: string, threads: number): Promise<{ logits: Float32Array; rows: number[][]; vocab: number }> {
  const a = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: threads });
  try {
    const vocab = a.folder.config.vocabSize;
    const rows = probeRows(vocab);
    return { logits: (await a.session.forward(rows)).logits, rows, vocab };
  } finally {
    await a.dispose();
  }
}
