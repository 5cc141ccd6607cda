/**
 * llama.cpp's importance matrix: for a weight W whose rows have n_per_row = K inputs, the
 * mean over calibration tokens of x_j² for each input column j (tools/imatrix/imatrix.cpp
 * accumulates Σ x_j² and a token count per tensor; tools/quantize divides one by the other
 * before calling llama_model_quantize). Entries are keyed by GGUF tensor name.
 */
import { InputError } from '../../../core/errors.js';
import type { GgufFile } from '../../formats/gguf/index.js';

/** Per-tensor importance, by GGUF tensor name, and where it came from. */
export interface ImportanceMatrix {
  /** `blk.0.attn_q.weight` -> (n_per_row × n_expert,) mean squared input. */
  readonly entries: ReadonlyMap<string, Float32Array>;
  /** What produced it (calibration provenance, model folder), copied into the quantization record. */
  readonly source: Readonly<Record<string, unknown>>;
}

/** x (T,K) row-major -> (K,) mean over the T rows of x_j², accumulated in float64. */
export function importanceMatrixFromActivations(x: Float32Array, T: number, K: number): Float32Array {
  if (!Number.isInteger(T) || !Number.isInteger(K) || T < 1 || K < 1 || x.length !== T * K) {
    throw new InputError(`importance matrix: activations hold ${x.length} values, not T×K = ${T}×${K}: capture (T,K) inputs of one weight`);
  }
  const sum = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const row = t * K;
    for (let j = 0; j < K; j++) sum[j]! += x[row + j]! * x[row + j]!;
  }
  const out = new Float32Array(K);
  for (let j = 0; j < K; j++) out[j] = sum[j]! / T;
  return out;
}

/**
 * Checks every entry against the GGUF it will quantize, before llama.cpp sees it: the
 * tensor exists, the length is ne[0] × ne[2] (what llama-quant.cpp compares), every value
 * is finite and ≥ 0. One line naming the entry otherwise.
 */
export function checkImportanceMatrix(im: ImportanceMatrix, file: GgufFile): void {
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  if (im.entries.size === 0) throw new InputError(`importance matrix for ${file.path} has no entries: compute it on calibration text with importanceMatrixForOnnxModel`);
  for (const [name, data] of im.entries) {
    const t = byName.get(name);
    if (!t) throw new InputError(`importance matrix entry '${name}' names no tensor of ${file.path}: use GGUF tensor names (blk.N.attn_q.weight …) of that file`);
    const want = t.dims[0]! * (t.dims[2] ?? 1);
    if (t.dims.length < 2 || data.length !== want) {
      throw new InputError(`importance matrix entry '${name}' has ${data.length} values but ${file.path} needs ${want} (n_per_row ${t.dims[0]}${t.dims[2] ? ` × ${t.dims[2]} experts` : ''}, dims [${t.dims.join(', ')}]): recompute it from this model's own activations`);
    }
    const bad = data.findIndex((v) => !Number.isFinite(v) || v < 0);
    if (bad >= 0) throw new InputError(`importance matrix entry '${name}' value ${bad} is ${data[bad]} (must be finite and ≥ 0): recompute it (non-finite activations in the model?)`);
  }
}
