/**
 * A random-weight Llama decoder as an ONNX graph with a KV cache, in the layout optimum
 * exports (and runners/decoder-session.ts feeds):
 *   inputs  input_ids (B,S) int64, attention_mask (B,T) int64, position_ids (B,S) int64,
 *           past_key_values.{i}.key|value (B,KVH,T-S,D) float32
 *   outputs logits (B,S,V), present.{i}.key|value (B,KVH,T,D)
 * Per layer: x += o_proj(attn(RoPE(q), RoPE(k), v)) on RMSNorm(x); x += down(silu(gate)·up) on RMSNorm(x).
 * Projections are plain MatMuls on (K,N) initializers, so runners/compress finds them.
 * Weights: projections N(0, 1/K) (unit-variance outputs from unit-RMS inputs), embedding
 * N(0, 1), norm weights 1 + N(0, 0.1²) so a dropped norm multiply changes the logits.
 */
import { createRng, randomNormalArray, type Rng } from '../../core/rng.js';
import { OnnxDataType, type OnnxModel } from '../onnx/index.js';
import { GraphBuilder, valueInfo } from '../graph/graph-builder.js';
import { attentionAllowed, ropeInputs, selfAttention } from '../graph/llama-attention.js';
import { checkLlamaShape, headDimOf, RMS_NORM_EPS, type LlamaShape } from './llama-shape.js';

function normWeights(rng: Rng, n: number): Float32Array {
  const w = randomNormalArray(rng, n, 0.1);
  for (let i = 0; i < n; i++) w[i] += 1;
  return w;
}

/** x (B,S,h) -> x / sqrt(mean(x²) + eps) · w, as the HF export spells it (ORT fuses it). */
function rmsNorm(g: GraphBuilder, x: string, weight: string, at: string): string {
  const meanSquare = g.op('ReduceMean', [g.op('Pow', [x, g.float(2)], `${at}/Pow`)], `${at}/ReduceMean`, { axes: [-1], keepdims: 1 });
  const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.float(RMS_NORM_EPS)], `${at}/Add`)], `${at}/Sqrt`);
  const inverse = g.op('Div', [g.float(1), rms], `${at}/Div`);
  return g.op('Mul', [g.op('Mul', [x, inverse], `${at}/Mul`), weight], `${at}/Mul_1`);
}

/** The whole decoder; weights are drawn from `createRng(shape.seed)` in graph order. */
export function buildSynthLlama(shape: LlamaShape): OnnxModel {
  checkLlamaShape(shape);
  const rng = createRng(shape.seed);
  const g = new GraphBuilder();
  const { hidden: h, intermediate: I, vocab: V } = shape;
  const projection = (name: string, K: number, N: number): string => g.weight(name, [K, N], randomNormalArray(rng, K * N, 1 / Math.sqrt(K)));
  const norm = (name: string): string => g.weight(name, [h], normWeights(rng, h));

  const embedding = g.weight('model.embed_tokens.weight', [V, h], randomNormalArray(rng, V * h, 1));
  let x = g.op('Gather', [embedding, 'input_ids'], '/embed_tokens/Gather', { axis: 0 }); // (B,S,h)
  const rope = ropeInputs(g, shape);
  const allowed = attentionAllowed(g);
  for (let l = 0; l < shape.layers; l++) {
    const p = `model.layers.${l}`, at = `/layers.${l}`;
    const attnIn = rmsNorm(g, x, norm(`${p}.input_layernorm.weight`), `${at}/input_layernorm`);
    x = g.op('Add', [x, selfAttention(g, attnIn, l, shape, rope, allowed, projection)], `${at}/attn_residual`);
    const mlpIn = rmsNorm(g, x, norm(`${p}.post_attention_layernorm.weight`), `${at}/post_attention_layernorm`);
    const gate = g.op('MatMul', [mlpIn, projection(`${p}.mlp.gate_proj.weight`, h, I)], `${at}/mlp/gate_proj/MatMul`); // (B,S,I)
    const up = g.op('MatMul', [mlpIn, projection(`${p}.mlp.up_proj.weight`, h, I)], `${at}/mlp/up_proj/MatMul`);
    const silu = g.op('Mul', [gate, g.op('Sigmoid', [gate], `${at}/mlp/Sigmoid`)], `${at}/mlp/silu`);
    const down = g.op('MatMul', [g.op('Mul', [silu, up], `${at}/mlp/swiglu`), projection(`${p}.mlp.down_proj.weight`, I, h)], `${at}/mlp/down_proj/MatMul`);
    x = g.op('Add', [x, down], `${at}/mlp_residual`);
  }
  const last = rmsNorm(g, x, norm('model.norm.weight'), '/norm');
  g.op('MatMul', [last, projection('lm_head.weight', h, V)], 'logits'); // (B,S,V)

  const D = headDimOf(shape);
  const kv = (prefix: string, length: string): Record<string, unknown>[] =>
    Array.from({ length: shape.layers }, (_, l) => ['key', 'value'].map((kind) => valueInfo(`${prefix}.${l}.${kind}`, OnnxDataType.FLOAT, ['batch_size', shape.kvHeads, length, D]))).flat();
  const tokens = (name: string, length: string): Record<string, unknown> => valueInfo(name, OnnxDataType.INT64, ['batch_size', length]);
  return {
    ir_version: 8,
    producer_name: 'compbench synth',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'synth_llama',
      node: g.nodes,
      initializer: g.initializers,
      input: [tokens('input_ids', 'sequence_length'), tokens('attention_mask', 'total_sequence_length'), tokens('position_ids', 'sequence_length'), ...kv('past_key_values', 'past_sequence_length')],
      output: [valueInfo('logits', OnnxDataType.FLOAT, ['batch_size', 'sequence_length', V]), ...kv('present', 'total_sequence_length')],
    },
  };
}
