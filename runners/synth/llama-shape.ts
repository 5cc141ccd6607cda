/** Sizes of a random-weight Llama ({@link buildSynthLlama}), their defaults and checks. */
import { InputError } from '../../core/errors.js';

/** Sizes and seed of a synthetic Llama decoder. */
export interface LlamaShape {
  readonly hidden: number;
  readonly layers: number;
  /** MLP width (gate/up out, down in). */
  readonly intermediate: number;
  /** Query heads; head_dim = hidden / heads. */
  readonly heads: number;
  /** Key/value heads (grouped-query attention when below `heads`). */
  readonly kvHeads: number;
  readonly vocab: number;
  /** Rows of the RoPE tables (`max_position_embeddings`). */
  readonly maxPositions: number;
  readonly seed: number;
}

/** Tokens of the bundled tokenizer the folder ships with: the model's vocab cannot be smaller. */
export const TOKENIZER_VOCAB = 2048;

/** RMSNorm epsilon, as in Llama 2 / TinyLlama. */
export const RMS_NORM_EPS = 1e-5;

/** RoPE base θ, as in Llama 2 / TinyLlama. */
export const ROPE_THETA = 10000;

/** Quantization block of MatMulNBits: every MatMul's K must be a multiple of it. */
const BLOCK = 32;

/** Largest fp32 weight total accepted (this machine holds the model several times while converting it). */
const MAX_FP32_BYTES = 6e9;

/** Size of one head. */
export function headDimOf(s: Pick<LlamaShape, 'hidden' | 'heads'>): number {
  return s.hidden / s.heads;
}

/** Default MLP width: 8h/3 rounded up to a multiple of 256 (h 2048 → 5632, as TinyLlama). */
export function defaultIntermediate(hidden: number): number {
  return Math.ceil((8 * hidden) / 3 / 256) * 256;
}

/** Default heads: head_dim 64 where hidden allows it, else 32. */
export function defaultHeads(hidden: number): number {
  return hidden % 64 === 0 ? hidden / 64 : Math.max(1, Math.floor(hidden / 32));
}

/** fp32 weight elements of the whole model: embedding, layers, final norm, lm_head. */
export function llamaWeightCount(s: LlamaShape): number {
  const qo = s.hidden * s.heads * headDimOf(s);
  const kv = s.hidden * s.kvHeads * headDimOf(s);
  const layer = 2 * qo + 2 * kv + 3 * s.hidden * s.intermediate + 2 * s.hidden;
  return 2 * s.vocab * s.hidden + s.layers * layer + s.hidden;
}

function checkInt(flag: string, v: number, min: number, max: number, extra = ''): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new InputError(`${flag} must be an integer in ${min}..${max}${extra}, got ${v}`);
}

/** Checks the sizes; a bad one is an InputError naming the flag and its allowed range. */
export function checkLlamaShape(s: LlamaShape): void {
  checkInt('--hidden', s.hidden, BLOCK, 16384);
  if (s.hidden % BLOCK !== 0) throw new InputError(`--hidden must be a multiple of ${BLOCK} (the quantization block), got ${s.hidden}`);
  checkInt('--layers', s.layers, 1, 256);
  checkInt('--intermediate', s.intermediate, BLOCK, 65536);
  if (s.intermediate % BLOCK !== 0) throw new InputError(`--intermediate must be a multiple of ${BLOCK} (the quantization block), got ${s.intermediate}`);
  checkInt('--heads', s.heads, 1, s.hidden / 2);
  if (s.hidden % s.heads !== 0 || headDimOf(s) % 2 !== 0) {
    throw new InputError(`--heads must divide --hidden ${s.hidden} into an even head_dim (RoPE rotates pairs), got ${s.heads}`);
  }
  checkInt('--kv-heads', s.kvHeads, 1, s.heads);
  if (s.heads % s.kvHeads !== 0) throw new InputError(`--kv-heads must divide --heads ${s.heads}, got ${s.kvHeads}`);
  checkInt('--vocab', s.vocab, TOKENIZER_VOCAB, 262144, ` (at least the bundled tokenizer's ${TOKENIZER_VOCAB} tokens)`);
  checkInt('max positions', s.maxPositions, 2, 131072);
  if (!Number.isSafeInteger(s.seed) || s.seed < 0) throw new InputError(`--seed must be a non-negative integer, got ${s.seed}`);
  if (s.vocab * s.hidden * 4 > 2 ** 31 - 1) throw new InputError(`--vocab ${s.vocab} × --hidden ${s.hidden} makes an embedding over 2 GiB; use a smaller --vocab`);
  const bytes = 4 * llamaWeightCount(s);
  if (bytes > MAX_FP32_BYTES) {
    throw new InputError(`the model would hold ${(bytes / 1e9).toFixed(2)} GB of fp32 weights, over the ${MAX_FP32_BYTES / 1e9} GB this command builds in memory; use fewer --layers or a smaller --hidden/--intermediate/--vocab`);
  }
}
