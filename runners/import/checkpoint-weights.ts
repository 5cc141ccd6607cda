/**
 * A checkpoint's tensors served to the graph builder in MatMul layout: torch Linear
 * weights (out, in) are transposed to (in, out); Phi-3's fused qkv_proj and gate_up_proj
 * are split by rows; a tied lm_head is the embedding transposed. Every tensor is read
 * when the builder asks for it and dropped after, and every checkpoint tensor must be
 * used: a leftover means the config did not describe the weights.
 */
import { InputError } from '../../core/errors.js';
import type { Checkpoint } from '../formats/safetensors/index.js';
import type { WeightSource } from '../graph/index.js';
import type { HfModel } from './hf-config.js';

/** Buffers some exporters save that are derived, not learned (recomputed by the graph). */
const DERIVED = /\.rotary_emb\.inv_freq$/u;

/** W (N,K) row-major -> W^T (K,N). */
export function transpose(w: Float32Array, N: number, K: number): Float32Array {
  const out = new Float32Array(N * K);
  const B = 64;
  for (let n0 = 0; n0 < N; n0 += B) {
    for (let k0 = 0; k0 < K; k0 += B) {
      for (let n = n0; n < Math.min(n0 + B, N); n++) for (let k = k0; k < Math.min(k0 + B, K); k++) out[k * N + n] = w[n * K + k];
    }
  }
  return out;
}

/** A weight source over `ckpt` plus the check that every tensor was used. */
export interface CheckpointWeights {
  readonly source: WeightSource;
  /** Throws InputError naming the first checkpoint tensor the graph did not use. */
  checkAllUsed(): void;
}

/** Serves `ckpt`'s tensors for `model`'s graph. */
export function checkpointWeights(ckpt: Checkpoint, model: HfModel): CheckpointWeights {
  const used = new Set<string>();
  const { spec } = model;
  const read = (name: string, shape: readonly number[]): Float32Array => {
    const e = ckpt.entries.get(name);
    if (!e) throw new InputError(`${ckpt.dir}: the checkpoint has no tensor '${name}', which ${model.architecture} with this config.json needs; the weights and config do not match`);
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new InputError(`${e.file}: tensor '${name}' has shape [${e.shape.join(', ')}], config.json implies [${shape.join(', ')}]; the weights and config do not match`);
    }
    used.add(name);
    return ckpt.readFloat32(name);
  };
  // (out, in) torch layout -> (in, out)
  const linear = (name: string, K: number, N: number): Float32Array => transpose(read(name, [N, K]), N, K);
  let fused: { name: string; values: Float32Array } | undefined;
  const fusedRows = (name: string, rows: number, K: number): Float32Array => {
    if (fused?.name !== name) fused = { name, values: read(name, [rows, K]) };
    return fused.values;
  };
  /** Rows [from, from + N) of fused (rows, K) weight `name`, transposed to (K, N). */
  const slice = (name: string, rows: number, from: number, K: number, N: number): Float32Array =>
    transpose(fusedRows(name, rows, K).subarray(from * K, (from + N) * K), N, K);

  const phi3 = (name: string, dims: readonly number[]): Float32Array | undefined => {
    const m = /^(model\.layers\.\d+)\.(self_attn\.([qkv])_proj|mlp\.(gate|up)_proj)\.weight$/u.exec(name);
    if (!m) return undefined;
    const [K, N] = dims;
    const D = spec.headDim;
    if (m[3]) {
      const rows = (spec.heads + 2 * spec.kvHeads) * D;
      const from = m[3] === 'q' ? 0 : m[3] === 'k' ? spec.heads * D : (spec.heads + spec.kvHeads) * D;
      return slice(`${m[1]}.self_attn.qkv_proj.weight`, rows, from, K, N);
    }
    return slice(`${m[1]}.mlp.gate_up_proj.weight`, 2 * spec.intermediate, m[4] === 'gate' ? 0 : spec.intermediate, K, N);
  };

  const source: WeightSource = (name, dims) => {
    if (model.family === 'phi3') {
      const w = phi3(name, dims);
      if (w) return w;
    }
    if (name === 'model.embed_tokens.weight') return read(name, dims);
    if (name === 'lm_head.weight') {
      const [h, V] = dims;
      if (!model.tiedEmbeddings) return linear(name, h, V);
      if (ckpt.entries.has(name)) used.add(name); // a tied head saved anyway: transformers ties it to the embedding
      return transpose(read('model.embed_tokens.weight', [V, h]), V, h);
    }
    if (dims.length === 2) return linear(name, dims[0], dims[1]);
    return read(name, dims);
  };
  return {
    source,
    checkAllUsed() {
      const left = [...ckpt.entries.keys()].filter((n) => !used.has(n) && !DERIVED.test(n));
      if (left.length > 0) {
        throw new InputError(`${ckpt.entries.get(left[0])!.file}: tensor '${left[0]}'${left.length > 1 ? ` (and ${left.length - 1} more)` : ''} is not part of a ${model.architecture} with this config.json; the importer would drop it — check the config (e.g. attention_bias, mlp_bias, tie_word_embeddings)`);
      }
    },
  };
}
