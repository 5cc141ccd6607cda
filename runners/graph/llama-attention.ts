/**
 * The attention parts of the synthetic Llama graph: RoPE tables, the causal × padding mask
 * and one layer's grouped-query self-attention with its KV cache, laid out as Hugging Face
 * / optimum export them (past_key_values.{i}.key|value in, present.{i}.key|value out).
 */
import type { GraphBuilder } from './graph-builder.js';
import { headDimOf, ROPE_THETA, type LlamaShape } from '../synth/llama-shape.js';

/** Most negative float32: masked scores get it instead of -inf, so a fully masked (padding) row softmaxes to a finite uniform. */
const MASKED_SCORE = -3.4028234663852886e38;

const BOOL = 9;

/** cos/sin of RoPE gathered at `position_ids`, each (B,1,S,D), shared by all layers. */
export interface RopeInputs {
  readonly cos: string;
  readonly sin: string;
}

/**
 * cos/sin tables (maxPositions, D), rotate-half layout (HF):
 * table[p, i] = f(p · θ^(-2 (i mod D/2) / D)); gathered by position_ids (B,S) -> (B,1,S,D).
 */
export function ropeInputs(g: GraphBuilder, s: LlamaShape): RopeInputs {
  const D = headDimOf(s);
  const cos = new Float32Array(s.maxPositions * D);
  const sin = new Float32Array(s.maxPositions * D);
  for (let p = 0; p < s.maxPositions; p++) {
    for (let i = 0; i < D; i++) {
      const angle = p * Math.pow(ROPE_THETA, (-2 * (i % (D / 2))) / D);
      cos[p * D + i] = Math.cos(angle);
      sin[p * D + i] = Math.sin(angle);
    }
  }
  const gather = (table: string, values: Float32Array): string => {
    const rows = g.op('Gather', [g.weight(`rope.${table}_table`, [s.maxPositions, D], values), 'position_ids'], `/rope/${table}/Gather`, { axis: 0 });
    return g.op('Unsqueeze', [rows, g.int64([1])], `/rope/${table}`);
  };
  return { cos: gather('cos', cos), sin: gather('sin', sin) };
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

/** x (B,H,S,D) -> x·cos + rotate_half(x)·sin, rotate_half(x) = [-x2, x1]. */
function rotary(g: GraphBuilder, x: string, rope: RopeInputs, D: number, at: string): string {
  const half = g.int64([D / 2, D / 2]);
  const [x1, x2] = g.opOutputs('Split', [x, half], [`${at}/x1`, `${at}/x2`], { axis: -1 }, `${at}/Split`); // (B,n,S,D/2) each
  const rotated = g.op('Concat', [g.op('Neg', [x2], `${at}/neg_x2`), x1], `${at}/rotate_half`, { axis: -1 });
  return g.op('Add', [g.op('Mul', [x, rope.cos], `${at}/x_cos`), g.op('Mul', [rotated, rope.sin], `${at}/rot_sin`)], `${at}/out`);
}

/**
 * Layer `l`'s self-attention on normed input x (B,S,h) -> (B,S,h). Query heads of one KV
 * group are adjacent (HF repeat_kv), so q reshaped to (B,KVH,g·S,D) meets K unrepeated.
 */
export function selfAttention(g: GraphBuilder, x: string, l: number, s: LlamaShape, rope: RopeInputs, allowed: string, weight: (name: string, K: number, N: number) => string): string {
  const H = s.heads, KVH = s.kvHeads, D = headDimOf(s);
  const p = `model.layers.${l}.self_attn`, at = `/layers.${l}/self_attn`;
  const heads = (name: string, n: number): string => {
    const y = g.op('MatMul', [x, weight(`${p}.${name}_proj.weight`, s.hidden, n * D)], `${at}/${name}_proj/MatMul`); // (B,S,n·D)
    const split = g.op('Reshape', [y, g.int64([0, 0, n, D])], `${at}/${name}/Reshape`); // (B,S,n,D)
    return g.op('Transpose', [split], `${at}/${name}/Transpose`, { perm: [0, 2, 1, 3] }); // (B,n,S,D)
  };
  const q = rotary(g, heads('q', H), rope, D, `${at}/q_rope`);
  const k = rotary(g, heads('k', KVH), rope, D, `${at}/k_rope`);
  const v = heads('v', KVH);
  const keys = g.op('Concat', [`past_key_values.${l}.key`, k], `present.${l}.key`, { axis: 2 }); // (B,KVH,T,D)
  const values = g.op('Concat', [`past_key_values.${l}.value`, v], `present.${l}.value`, { axis: 2 });
  const grouped = g.op('Reshape', [q, g.int64([0, KVH, -1, D])], `${at}/q_grouped`); // (B,KVH,g·S,D)
  const keysT = g.op('Transpose', [keys], `${at}/keys_T`, { perm: [0, 1, 3, 2] }); // (B,KVH,D,T)
  const raw = g.op('MatMul', [grouped, keysT], `${at}/scores_grouped`); // (B,KVH,g·S,T)
  const scaled = g.op('Mul', [raw, g.float(1 / Math.sqrt(D))], `${at}/scores_scaled`);
  const scores = g.op('Reshape', [scaled, g.int64([0, H, -1, 0])], `${at}/scores`); // (B,H,S,T)
  const masked = g.op('Where', [allowed, scores, g.float(MASKED_SCORE)], `${at}/scores_masked`);
  const probs = g.op('Softmax', [masked], `${at}/probs`, { axis: -1 });
  const probsGrouped = g.op('Reshape', [probs, g.int64([0, KVH, -1, 0])], `${at}/probs_grouped`); // (B,KVH,g·S,T)
  const context = g.op('MatMul', [probsGrouped, values], `${at}/context_grouped`); // (B,KVH,g·S,D)
  const perHead = g.op('Reshape', [context, g.int64([0, H, -1, D])], `${at}/context`); // (B,H,S,D)
  const merged = g.op('Reshape', [g.op('Transpose', [perHead], `${at}/context_T`, { perm: [0, 2, 1, 3] }), g.int64([0, 0, H * D])], `${at}/context_merged`); // (B,S,H·D)
  return g.op('MatMul', [merged, weight(`${p}.o_proj.weight`, H * D, s.hidden)], `${at}/o_proj/MatMul`);
}
