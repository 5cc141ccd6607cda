/**
 * Hugging Face Llama tensor names <-> llama.cpp's GGUF names, and the Q/K row order
 * convert_hf_to_gguf.py applies for llama.cpp's RoPE (interleaved pairs) instead of HF's
 * rotate-half.
 */

/** HF name -> GGUF name for the per-layer tensors (without `model.layers.N.` / `blk.N.`). */
export const LAYER_TENSORS: Readonly<Record<string, string>> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** Model-level tensors, HF -> GGUF. */
export const MODEL_TENSORS: Readonly<Record<string, string>> = {
  'model.embed_tokens.weight': 'token_embd.weight',
  'model.norm.weight': 'output_norm.weight',
  'lm_head.weight': 'output.weight',
};

/** The GGUF name of an HF tensor name, or undefined. */
export function ggufName(hf: string): string | undefined {
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(hf);
  if (m) return LAYER_TENSORS[m[2]] ? `blk.${m[1]}.${LAYER_TENSORS[m[2]]}` : undefined;
  return MODEL_TENSORS[hf];
}

/** The HF name of a GGUF tensor name, or undefined. */
export function hfName(gguf: string): string | undefined {
  const m = /^blk\.(\d+)\.(.+)$/.exec(gguf);
  if (m) {
    const hit = Object.entries(LAYER_TENSORS).find(([, g]) => g === m[2]);
    return hit ? `model.layers.${m[1]}.${hit[0]}` : undefined;
  }
  return Object.entries(MODEL_TENSORS).find(([, g]) => g === gguf)?.[0];
}

/**
 * For a Q or K weight of `heads` heads of `headDim` rows each: GGUF row r holds HF row
 * `ropeRowSource(r)`. Within a head, GGUF interleaves the two rotate-half halves:
 * GGUF row 2i + j <- HF row j·D/2 + i (convert_hf_to_gguf.py's LlamaModel.permute).
 */
export function ropeRowSource(r: number, headDim: number): number {
  const head = Math.floor(r / headDim), w = r % headDim;
  return head * headDim + (w % 2) * (headDim / 2) + Math.floor(w / 2);
}

/**
 * Reorders the rows of a (rows, rowLength) row-major matrix: out row r = in row source(r).
 * Works on any element size (pass bytes per row for packed blocks).
 */
export function permuteRows<T extends Float32Array | Uint8Array>(data: T, rowLength: number, source: (r: number) => number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const rows = data.length / rowLength;
  for (let r = 0; r < rows; r++) out.set(data.subarray(source(r) * rowLength, (source(r) + 1) * rowLength), r * rowLength);
  return out;
}

/** Inverse of {@link ropeRowSource}: HF row h -> GGUF row. */
export function ropeRowTarget(h: number, headDim: number): number {
  const head = Math.floor(h / headDim), w = h % headDim, half = headDim / 2;
  return head * headDim + (w % half) * 2 + Math.floor(w / half);
}
