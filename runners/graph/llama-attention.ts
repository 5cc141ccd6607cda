/**
 * The attention parts of a Llama-family decoder graph: RoPE cos/sin, the causal × padding
 * (× sliding window) mask and one layer's grouped-query self-attention with its KV cache,
 * laid out as Hugging Face / optimum export them (past_key_values.{i}.key|value in,
 * present.{i}.key|value out).
 */
import type { GraphBuilder } from './graph-builder.js';
import type { DecoderSpec, RopeFrequencies } from './decoder-spec.js';

/** Most negative float32: masked scores get it instead of -inf, so a fully masked (padding) row softmaxes to a finite uniform. */
const MASKED_SCORE = -3.4028234663852886e38;

const BOOL = 9;
const FLOAT = 1;

/** cos/sin of RoPE at `position_ids`, each (B,1,S,D), shared by all layers. */
export interface RopeInputs {
  readonly cos: string;
  readonly sin: string;
}

/**
 * cos/sin computed from `position_ids` as HF's rotary embedding does, in float32:
 * freqs = position (B,S,1) · inv_freq (D/2,) -> (B,S,D/2); emb = [freqs, freqs] (B,S,D);
 * cos = cos(emb) · attention_scaling, unsqueezed to (B,1,S,D). No table: any position works.
 */
export function ropeInputs(g: GraphBuilder, rope: RopeFrequencies): RopeInputs {
  const half = rope.kind === 'static' ? rope.invFreq.length : rope.shortInvFreq.length;
  let invFreq: string;
  if (rope.kind === 'static') invFreq = g.weight('rope.inv_freq', [half], rope.invFreq);
  else {
    // LongRoPE: the long frequencies once max(position_ids) + 1 > original_max_position_embeddings
    const seqLen = g.op('Add', [g.op('ReduceMax', ['position_ids'], '/rope/max_position', { keepdims: 0 }), g.int64(1)], '/rope/seq_len');
    const isLong = g.op('Greater', [seqLen, g.int64(rope.originalMax)], '/rope/is_long');
    invFreq = g.op('Where', [isLong, g.weight('rope.long_inv_freq', [half], rope.longInvFreq), g.weight('rope.short_inv_freq', [half], rope.shortInvFreq)], '/rope/inv_freq');
  }
  const positions = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], '/rope/positions', { to: FLOAT }), g.int64([2])], '/rope/positions_3d'); // (B,S,1)
  const freqs = g.op('Mul', [positions, invFreq], '/rope/freqs'); // (B,S,D/2)
  const emb = g.op('Concat', [freqs, freqs], '/rope/emb', { axis: -1 }); // (B,S,D)
  const table = (fn: 'Cos' | 'Sin'): string => {
    let t = g.op(fn, [emb], `/rope/${fn}`);
    if (rope.attentionScaling !== 1) t = g.op('Mul', [t, g.float(rope.attentionScaling)], `/rope/${fn}_scaled`);
    return g.op('Unsqueeze', [t, g.int64([1])], `/rope/${fn.toLowerCase()}`); // (B,1,S,D)
  };
  return { cos: table('Cos'), sin: table('Sin') };
}

/**
 * Which keys each query may see, (B,1,S,T) bool: key column j ≤ query column (past + i)
 * and attention_mask[b, j] = 1. Columns, not position ids, order the tokens, so left padding
 * and padding inside the cache both work.
 */
export function attentionAllowed(g: GraphBuilder): string {
  const pick = (tensor: string, name: string): string => g.op('Gather', [g.op('Shape', [tensor], `/mask/${name}_shape`), g.int64(1)], `/mask/${name}`, { axis: 0 });
  const S = pick('input_ids', 'seq_len');
  const T = pick('attention_mask', 'total_len');
  const past = g.op('Sub', [T, S], '/mask/past_len');
  const keyColumn = g.op('Range', [g.int64(0), T, g.int64(1)], '/mask/key_column'); // (T,)
  const queryColumn = g.op('Unsqueeze', [g.op('Range', [past, T, g.int64(1)], '/mask/query_range'), g.int64([1])], '/mask/query_column'); // (S,1)
  const causal = g.op('LessOrEqual', [keyColumn, queryColumn], '/mask/causal'); // (S,T)
  const real = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], '/mask/real', { to: BOOL }), g.int64([1, 2])], '/mask/real_4d'); // (B,1,1,T)
  return g.op('And', [causal, real], '/mask/allowed');
}

/**
 * `allowed` narrowed to a sliding window, (B,1,S,T): query position − key position < W.
 * Key positions are the running count of real columns (cumsum(attention_mask) − 1), the
 * position ids the runtime gives those tokens, so padding inside the cache is not counted.
 */
export function windowAllowed(g: GraphBuilder, allowed: string, window: number): string {
  const at = `/mask/window_${window}`;
  const keyPos = g.op('Sub', [g.op('CumSum', ['attention_mask', g.int64(1)], `${at}/cumsum`), g.int64(1)], `${at}/key_position`); // (B,T)
  const distance = g.op('Sub', [g.op('Unsqueeze', ['position_ids', g.int64([1, 3])], `${at}/query_4d`), g.op('Unsqueeze', [keyPos, g.int64([1, 2])], `${at}/key_4d`)], `${at}/distance`); // (B,1,S,T)
  return g.op('And', [allowed, g.op('Less', [distance, g.int64(window)], `${at}/inside`)], `${at}/allowed`);
}

/** x (B,H,S,D) -> x·cos + rotate_half(x)·sin, rotate_half(x) = [-x2, x1]. */
function rotary(g: GraphBuilder, x: string, rope: RopeInputs, D: number, at: string): string {
  const half = g.int64([D / 2, D / 2]);
  const [x1, x2] = g.opOutputs('Split', [x, half], [`${at}/x1`, `${at}/x2`], { axis: -1 }, `${at}/Split`); // (B,n,S,D/2) each
  const rotated = g.op('Concat', [g.op('Neg', [x2], `${at}/neg_x2`), x1], `${at}/rotate_half`, { axis: -1 });
  return g.op('Add', [g.op('Mul', [x, rope.cos], `${at}/x_cos`), g.op('Mul', [rotated, rope.sin], `${at}/rot_sin`)], `${at}/out`);
}

/** A projection x (…,K) @ W (K,N) [+ b (N,)], named as optimum names it. */
export type Linear = (x: string, name: string, K: number, N: number, bias: boolean, at: string) => string;

/**
 * Layer `l`'s self-attention on normed input x (B,S,h) -> (B,S,h). Query heads of one KV
 * group are adjacent (HF repeat_kv), so q reshaped to (B,KVH,g·S,D) meets K unrepeated.
 */
export function selfAttention(g: GraphBuilder, x: string, l: number, s: DecoderSpec, rope: RopeInputs, allowed: string, linear: Linear): string {
  const H = s.heads, KVH = s.kvHeads, D = s.headDim;
  const p = `model.layers.${l}.self_attn`, at = `/layers.${l}/self_attn`;
  const heads = (name: string, n: number): string => {
    const y = linear(x, `${p}.${name}_proj`, s.hidden, n * D, s.qkvBias, `${at}/${name}_proj`); // (B,S,n·D)
    const split = g.op('Reshape', [y, g.int64([0, 0, -1, D])], `${at}/${name}/Reshape`); // (B,S,n,D)
    return g.op('Transpose', [split], `${at}/${name}/Transpose`, { perm: [0, 2, 1, 3] }); // (B,n,S,D)
  };
  const q = rotary(g, heads('q', H), rope, D, `${at}/q_rope`);
  const k = rotary(g, heads('k', KVH), rope, D, `${at}/k_rope`);
  const v = heads('v', KVH);
  const keys = g.op('Concat', [`past_key_values.${l}.key`, k], `present.${l}.key`, { axis: 2 }); // (B,KVH,T,D)
  const values = g.op('Concat', [`past_key_values.${l}.value`, v], `present.${l}.value`, { axis: 2 });
  // Head counts are read from the tensors, not baked in, so structured pruning that drops
  // heads (fewer q/k/v columns) leaves a graph that still reshapes correctly.
  const count = (x: string, name: string): string => g.op('Gather', [g.op('Shape', [x], `${at}/${name}_shape`), g.int64([1])], `${at}/${name}_count`, { axis: 0 }); // (1,)
  const qHeads = count(q, 'q_heads'), kvHeads = count(keys, 'kv_heads');
  const shape = (heads: string, last: number, name: string): string => g.op('Concat', [g.int64([0]), heads, g.int64([-1, last])], `${at}/${name}_shape`, { axis: 0 });
  const grouped = g.op('Reshape', [q, shape(kvHeads, D, 'q_grouped')], `${at}/q_grouped`); // (B,KVH,g·S,D)
  const keysT = g.op('Transpose', [keys], `${at}/keys_T`, { perm: [0, 1, 3, 2] }); // (B,KVH,D,T)
  const raw = g.op('MatMul', [grouped, keysT], `${at}/scores_grouped`); // (B,KVH,g·S,T)
  const scaled = g.op('Mul', [raw, g.float(1 / Math.sqrt(D))], `${at}/scores_scaled`);
  const scores = g.op('Reshape', [scaled, shape(qHeads, 0, 'scores')], `${at}/scores`); // (B,H,S,T)
  const masked = g.op('Where', [allowed, scores, g.float(MASKED_SCORE)], `${at}/scores_masked`);
  const probs = g.op('Softmax', [masked], `${at}/probs`, { axis: -1 });
  const probsGrouped = g.op('Reshape', [probs, shape(kvHeads, 0, 'probs_grouped')], `${at}/probs_grouped`); // (B,KVH,g·S,T)
  const context = g.op('MatMul', [probsGrouped, values], `${at}/context_grouped`); // (B,KVH,g·S,D)
  const perHead = g.op('Reshape', [context, shape(qHeads, D, 'context')], `${at}/context`); // (B,H,S,D)
  const merged = g.op('Reshape', [g.op('Transpose', [perHead], `${at}/context_T`, { perm: [0, 2, 1, 3] }), g.int64([0, 0, -1])], `${at}/context_merged`); // (B,S,H·D)
  return linear(merged, `${p}.o_proj`, H * D, s.hidden, s.oBias, `${at}/o_proj`);
}
