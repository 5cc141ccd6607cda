/**
 * A random-weight Llama decoder as an ONNX graph with a KV cache: runners/graph's decoder
 * builder fed from a seeded generator. Weights: projections N(0, 1/K) (unit-variance
 * outputs from unit-RMS inputs), embedding N(0, 1), norm weights 1 + N(0, 0.1²) so a
 * dropped norm multiply changes the logits.
 */
import { createRng, randomNormalArray } from '../../core/rng.js';
import type { OnnxModel } from '../formats/onnx/index.js';
import { buildDecoderGraph, defaultInvFreq, type DecoderSpec } from '../graph/index.js';
import { checkLlamaShape, headDimOf, RMS_NORM_EPS, ROPE_THETA, type LlamaShape } from './llama-shape.js';

/** The decoder spec of a synthetic Llama: default RoPE, no biases, full attention. */
export function synthSpec(shape: LlamaShape): DecoderSpec {
  const headDim = headDimOf(shape);
  return {
    hidden: shape.hidden,
    layers: shape.layers,
    intermediate: shape.intermediate,
    heads: shape.heads,
    kvHeads: shape.kvHeads,
    headDim,
    vocab: shape.vocab,
    rmsNormEps: RMS_NORM_EPS,
    rope: { kind: 'static', invFreq: defaultInvFreq(ROPE_THETA, headDim), attentionScaling: 1 },
    qkvBias: false,
    oBias: false,
    mlpBias: false,
    slidingWindows: [],
  };
}

/** The whole decoder; weights are drawn from `createRng(shape.seed)` in graph order. */
export function buildSynthLlama(shape: LlamaShape): OnnxModel {
  checkLlamaShape(shape);
  const rng = createRng(shape.seed);
  return buildDecoderGraph(synthSpec(shape), (name, dims) => {
    const n = dims.reduce((a, b) => a * b, 1);
    if (name.endsWith('norm.weight')) {
      const w = randomNormalArray(rng, n, 0.1);
      for (let i = 0; i < n; i++) w[i] += 1;
      return w;
    }
    return randomNormalArray(rng, n, name === 'model.embed_tokens.weight' ? 1 : 1 / Math.sqrt(dims[0]));
  }, { name: 'synth_llama', producer: 'compbench synth' });
}
