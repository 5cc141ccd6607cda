/**
 * A naive float64 Llama forward pass written straight from the Llama equations (HF
 * modeling_llama.py), for checking the synthetic ONNX graph: it shares no code with
 * runners/synth beyond reading the initializer bytes. RoPE is written as the pairwise
 * rotation (x_i, x_{i+D/2}) by angle p·θ^(-2i/D), not as the graph's rotate-half tables.
 */
import type { OnnxModel } from '../../../runners/formats/onnx/index.js';

/** Sizes the reference needs. */
export interface ReferenceShape {
  readonly hidden: number;
  readonly layers: number;
  readonly intermediate: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly vocab: number;
}

function weights(model: OnnxModel): (name: string) => Float32Array {
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t.raw_data!]));
  return (name) => {
    const raw = byName.get(name);
    if (!raw) throw new Error(`reference: no initializer ${name}`);
    return new Float32Array(raw.slice().buffer);
  };
}

// x (K,) @ W (K,N) -> (N,)
function vecMat(x: Float64Array, W: Float32Array, K: number, N: number): Float64Array {
  const y = new Float64Array(N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) y[n] += x[k] * W[k * N + n];
  return y;
}

function rmsNorm(x: Float64Array, w: Float32Array): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const inv = 1 / Math.sqrt(ss / x.length + 1e-5);
  return x.map((v, i) => v * inv * w[i]);
}

// one head's vector (D,) at position p, rotated in place
function rope(v: Float64Array, offset: number, D: number, p: number): void {
  for (let i = 0; i < D / 2; i++) {
    const angle = p * Math.pow(10000, (-2 * i) / D);
    const a = v[offset + i], b = v[offset + i + D / 2];
    v[offset + i] = a * Math.cos(angle) - b * Math.sin(angle);
    v[offset + i + D / 2] = b * Math.cos(angle) + a * Math.sin(angle);
  }
}

/** Logits (V,) after every token of `ids` (one unpadded sequence, positions 0..n-1). */
export function referenceLogits(model: OnnxModel, s: ReferenceShape, ids: readonly number[]): Float64Array[] {
  const w = weights(model);
  const { hidden: h, intermediate: I, heads: H, kvHeads: KVH, vocab: V } = s;
  const D = h / H;
  const group = H / KVH;
  const embed = w('model.embed_tokens.weight');
  let xs = ids.map((id) => Float64Array.from(embed.subarray(id * h, (id + 1) * h)));
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    const normed = xs.map((x) => rmsNorm(x, w(`${p}.input_layernorm.weight`)));
    const qs = normed.map((x, t) => {
      const q = vecMat(x, w(`${p}.self_attn.q_proj.weight`), h, H * D);
      for (let hd = 0; hd < H; hd++) rope(q, hd * D, D, t);
      return q;
    });
    const ks = normed.map((x, t) => {
      const k = vecMat(x, w(`${p}.self_attn.k_proj.weight`), h, KVH * D);
      for (let hd = 0; hd < KVH; hd++) rope(k, hd * D, D, t);
      return k;
    });
    const vs = normed.map((x) => vecMat(x, w(`${p}.self_attn.v_proj.weight`), h, KVH * D));
    xs = xs.map((x, t) => {
      const context = new Float64Array(H * D);
      for (let hd = 0; hd < H; hd++) {
        const kv = Math.floor(hd / group) * D;
        const scores = Array.from({ length: t + 1 }, (_, u) => {
          let dot = 0;
          for (let i = 0; i < D; i++) dot += qs[t][hd * D + i] * ks[u][kv + i];
          return dot / Math.sqrt(D);
        });
        const max = Math.max(...scores);
        const e = scores.map((z) => Math.exp(z - max));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let u = 0; u <= t; u++) for (let i = 0; i < D; i++) context[hd * D + i] += (e[u] / sum) * vs[u][kv + i];
      }
      const attn = vecMat(context, w(`${p}.self_attn.o_proj.weight`), H * D, h);
      const r = x.map((v, i) => v + attn[i]);
      const m = rmsNorm(r, w(`${p}.post_attention_layernorm.weight`));
      const gate = vecMat(m, w(`${p}.mlp.gate_proj.weight`), h, I);
      const up = vecMat(m, w(`${p}.mlp.up_proj.weight`), h, I);
      const down = vecMat(gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]), w(`${p}.mlp.down_proj.weight`), I, h);
      return r.map((v, i) => v + down[i]);
    });
  }
  return xs.map((x) => vecMat(rmsNorm(x, w('model.norm.weight')), w('lm_head.weight'), h, V));
}
