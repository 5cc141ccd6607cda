/**
 * What the decoder graph builder needs to know about a Llama-family model (Llama, Mistral,
 * Qwen2, Phi-3 all reduce to it): sizes, norm epsilon, RoPE frequencies, which
 * projections carry biases and each layer's attention window. Filled by `compbench synth`
 * (random weights) and by the importer (a Hugging Face config.json).
 */

/**
 * RoPE inverse frequencies (D/2,), angle = position · inv_freq[i], rotate-half layout (HF).
 * `by-length` is LongRoPE: the long vector when max(position_ids) + 1 exceeds
 * `originalMax`, else the short one (HF's `longrope_frequency_update`).
 */
export type RopeFrequencies =
  | { readonly kind: 'static'; readonly invFreq: Float32Array; readonly attentionScaling: number }
  | { readonly kind: 'by-length'; readonly shortInvFreq: Float32Array; readonly longInvFreq: Float32Array; readonly originalMax: number; readonly attentionScaling: number };

/** Sizes and options of a Llama-family decoder. */
export interface DecoderSpec {
  readonly hidden: number;
  readonly layers: number;
  /** MLP width (gate/up out, down in). */
  readonly intermediate: number;
  /** Query heads. */
  readonly heads: number;
  /** Key/value heads (grouped-query attention when below `heads`). */
  readonly kvHeads: number;
  /** Size of one head (may differ from hidden / heads). */
  readonly headDim: number;
  readonly vocab: number;
  /** RMSNorm epsilon. */
  readonly rmsNormEps: number;
  readonly rope: RopeFrequencies;
  /** q/k/v projections add a bias (Qwen2; Llama's attention_bias). */
  readonly qkvBias: boolean;
  /** o_proj adds a bias (Llama's attention_bias). */
  readonly oBias: boolean;
  /** gate/up/down add a bias (Llama's mlp_bias). */
  readonly mlpBias: boolean;
  /** Per layer: a key is seen only when query position − key position < window; 0 = full causal attention. */
  readonly slidingWindows: readonly number[];
}

/**
 * A model's weights by Hugging Face tensor name, in MatMul layout: a Linear's weight as
 * (K,N) = (in, out), i.e. transposed from torch's (out, in); biases and norms (N,);
 * `model.embed_tokens.weight` (V,h); `lm_head.weight` (h,V). Called once per tensor, in
 * graph order.
 */
export type WeightSource = (name: string, dims: readonly number[]) => Float32Array;

/** Default RoPE: inv_freq[i] = θ^(−2i/D), in float32 arithmetic as torch computes it. */
export function defaultInvFreq(theta: number, headDim: number): Float32Array {
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < headDim / 2; i++) out[i] = 1 / Math.fround(theta ** Math.fround((2 * i) / headDim));
  return out;
}
