/**
 * A Llama-family decoder as an ONNX graph with a KV cache, in the layout optimum exports
 * (and runners/decoder-session.ts feeds):
 *   inputs  input_ids (B,S) int64, attention_mask (B,T) int64, position_ids (B,S) int64,
 *           past_key_values.{i}.key|value (B,KVH,T-S,D) float32
 *   outputs logits (B,S,V), present.{i}.key|value (B,KVH,T,D)
 * Per layer: x += o_proj(attn(RoPE(q), RoPE(k), v)) on RMSNorm(x); x += down(silu(gate)·up) on RMSNorm(x).
 * Projections are plain MatMuls on (K,N) initializers named like the HF tensors, so
 * runners/compress finds them; a bias is an Add after its MatMul.
 */
import { OnnxDataType, type OnnxModel } from '../formats/onnx/index.js';
import { GraphBuilder, valueInfo, type WeightSink } from './graph-builder.js';
import { attentionAllowed, ropeInputs, selfAttention, windowAllowed, type Linear } from './llama-attention.js';
import type { DecoderSpec, WeightSource } from './decoder-spec.js';

/** How the model file describes itself. */
export interface GraphLabels {
  /** `graph.name`. */
  readonly name: string;
  /** `producer_name`. */
  readonly producer: string;
}

/** x (B,S,h) -> x / sqrt(mean(x²) + eps) · w, as the HF export spells it (ORT fuses it). */
function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number, at: string): string {
  const meanSquare = g.op('ReduceMean', [g.op('Pow', [x, g.float(2)], `${at}/Pow`)], `${at}/ReduceMean`, { axes: [-1], keepdims: 1 });
  const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.float(eps)], `${at}/Add`)], `${at}/Sqrt`);
  const inverse = g.op('Div', [g.float(1), rms], `${at}/Div`);
  return g.op('Mul', [g.op('Mul', [x, inverse], `${at}/Mul`), weight], `${at}/Mul_1`);
}

/**
 * The whole decoder. `weights` is asked for every tensor once, in graph order (embedding,
 * per layer: input norm, q, k, v, o, post-attention norm, gate, up, down; final norm,
 * lm_head; each weight before its bias); `sink` decides where their bytes go.
 */
export function buildDecoderGraph(spec: DecoderSpec, weights: WeightSource, labels: GraphLabels, sink?: WeightSink): OnnxModel {
  const g = new GraphBuilder(sink);
  const { hidden: h, intermediate: I, vocab: V } = spec;
  const tensor = (name: string, dims: readonly number[]): string => g.weight(name, dims, weights(name, dims));
  const linear: Linear = (x, name, K, N, bias, at) => {
    const y = g.op('MatMul', [x, tensor(`${name}.weight`, [K, N])], `${at}/MatMul`);
    return bias ? g.op('Add', [y, tensor(`${name}.bias`, [N])], `${at}/Add`) : y;
  };

  const embedding = tensor('model.embed_tokens.weight', [V, h]);
  let x = g.op('Gather', [embedding, 'input_ids'], '/embed_tokens/Gather', { axis: 0 }); // (B,S,h)
  const rope = ropeInputs(g, spec.rope);
  const causal = attentionAllowed(g);
  const windows = new Map<number, string>();
  const allowedFor = (w: number): string => {
    if (w <= 0) return causal;
    if (!windows.has(w)) windows.set(w, windowAllowed(g, causal, w));
    return windows.get(w)!;
  };
  for (let l = 0; l < spec.layers; l++) {
    const p = `model.layers.${l}`, at = `/layers.${l}`;
    const attnIn = rmsNorm(g, x, tensor(`${p}.input_layernorm.weight`, [h]), spec.rmsNormEps, `${at}/input_layernorm`);
    x = g.op('Add', [x, selfAttention(g, attnIn, l, spec, rope, allowedFor(spec.slidingWindows[l] ?? 0), linear)], `${at}/attn_residual`);
    const mlpIn = rmsNorm(g, x, tensor(`${p}.post_attention_layernorm.weight`, [h]), spec.rmsNormEps, `${at}/post_attention_layernorm`);
    const gate = linear(mlpIn, `${p}.mlp.gate_proj`, h, I, spec.mlpBias, `${at}/mlp/gate_proj`); // (B,S,I)
    const up = linear(mlpIn, `${p}.mlp.up_proj`, h, I, spec.mlpBias, `${at}/mlp/up_proj`);
    const silu = g.op('Mul', [gate, g.op('Sigmoid', [gate], `${at}/mlp/Sigmoid`)], `${at}/mlp/silu`);
    const down = linear(g.op('Mul', [silu, up], `${at}/mlp/swiglu`), `${p}.mlp.down_proj`, I, h, spec.mlpBias, `${at}/mlp/down_proj`);
    x = g.op('Add', [x, down], `${at}/mlp_residual`);
  }
  const last = rmsNorm(g, x, tensor('model.norm.weight', [h]), spec.rmsNormEps, '/norm');
  g.op('MatMul', [last, tensor('lm_head.weight', [h, V])], 'logits'); // (B,S,V)

  const D = spec.headDim;
  const kv = (prefix: string, length: string): Record<string, unknown>[] =>
    Array.from({ length: spec.layers }, (_, l) => ['key', 'value'].map((kind) => valueInfo(`${prefix}.${l}.${kind}`, OnnxDataType.FLOAT, ['batch_size', spec.kvHeads, length, D]))).flat();
  const tokens = (name: string, length: string): Record<string, unknown> => valueInfo(name, OnnxDataType.INT64, ['batch_size', length]);
  return {
    ir_version: 8,
    producer_name: labels.producer,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: labels.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [tokens('input_ids', 'sequence_length'), tokens('attention_mask', 'total_sequence_length'), tokens('position_ids', 'sequence_length'), ...kv('past_key_values', 'past_sequence_length')],
      output: [valueInfo('logits', OnnxDataType.FLOAT, ['batch_size', 'sequence_length', V]), ...kv('present', 'total_sequence_length')],
    },
  };
}
