/**
 * A test-only writer of tiny F32 Llama GGUF files that llama.cpp loads: seeded random
 * weights, a byte-level SentencePiece vocabulary, and shapes chosen by the caller (hidden
 * 256 keeps every row a multiple of the 256-element K-quant block, so nothing falls back).
 */
import { writeFileSync } from 'node:fs';
import { createRng } from '../../../../core/rng.js';

/** Shape of the tiny model. */
export interface TinyLlamaShape {
  readonly nEmbd: number;
  readonly nFf: number;
  readonly nLayer: number;
  readonly nHead: number;
  /** Vocabulary beyond the 3 specials and 256 byte tokens. */
  readonly extraTokens: number;
  /** Seed of the weights (all tensors are F32). */
  readonly seed: number;
  /** general.architecture (default `llama`; anything else makes a file llama.cpp cannot load). */
  readonly architecture?: string;
}

/** The default tiny model: 2 layers, hidden 256, ffn 512, 320 tokens. */
export const TINY_SHAPE: TinyLlamaShape = { nEmbd: 256, nFf: 512, nLayer: 2, nHead: 4, extraTokens: 61, seed: 7 };

type Kv = readonly [key: string, type: 'u32' | 'f32' | 'str' | 'arr-str' | 'arr-f32' | 'arr-i32', value: unknown];

class Out {
  private parts: Buffer[] = [];
  len = 0;
  push(b: Buffer): void { this.parts.push(b); this.len += b.length; }
  u32(v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v: number): void { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v: number): void { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v: number): void { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(s: string): void { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.push(b); }
  pad(align: number): void { const n = (align - (this.len % align)) % align; if (n) this.push(Buffer.alloc(n)); }
  bytes(): Buffer { return Buffer.concat(this.parts); }
}

function writeKv(o: Out, [key, type, value]: Kv): void {
  o.str(key);
  switch (type) {
    case 'u32': o.u32(4); o.u32(value as number); break;
    case 'f32': o.u32(6); o.f32(value as number); break;
    case 'str': o.u32(8); o.str(value as string); break;
    case 'arr-str': o.u32(9); o.u32(8); o.u64((value as string[]).length); for (const s of value as string[]) o.str(s); break;
    case 'arr-f32': o.u32(9); o.u32(6); o.u64((value as number[]).length); for (const v of value as number[]) o.f32(v); break;
    case 'arr-i32': o.u32(9); o.u32(5); o.u64((value as number[]).length); for (const v of value as number[]) o.i32(v); break;
  }
}

function vocabulary(extra: number): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) { tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`); types.push(6); }
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < extra; i++) { tokens.push(`▁${letters[i % 26]}${i >= 26 ? letters[Math.floor(i / 26) % 26] : ''}`); types.push(1); }
  return { tokens, scores: tokens.map((_, i) => (i < 259 ? 0 : -i)), types };
}

/** Writes the tiny model to `path` and returns its tensor names with ggml dims. */
export function writeTinyLlamaGguf(path: string, shape: TinyLlamaShape = TINY_SHAPE): { name: string; dims: number[] }[] {
  const rng = createRng(shape.seed);
  const vocab = vocabulary(shape.extraTokens);
  const nVocab = vocab.tokens.length;
  const { nEmbd: e, nFf: f } = shape;
  const tensors: { name: string; dims: number[]; norm?: boolean }[] = [{ name: 'token_embd.weight', dims: [e, nVocab] }];
  for (let l = 0; l < shape.nLayer; l++) {
    tensors.push(
      { name: `blk.${l}.attn_norm.weight`, dims: [e], norm: true },
      { name: `blk.${l}.attn_q.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_k.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_v.weight`, dims: [e, e] },
      { name: `blk.${l}.attn_output.weight`, dims: [e, e] },
      { name: `blk.${l}.ffn_norm.weight`, dims: [e], norm: true },
      { name: `blk.${l}.ffn_gate.weight`, dims: [e, f] },
      { name: `blk.${l}.ffn_up.weight`, dims: [e, f] },
      { name: `blk.${l}.ffn_down.weight`, dims: [f, e] },
    );
  }
  tensors.push({ name: 'output_norm.weight', dims: [e], norm: true }, { name: 'output.weight', dims: [e, nVocab] });
  const kvs: Kv[] = [
    ['general.architecture', 'str', shape.architecture ?? 'llama'],
    ['general.name', 'str', 'compbench-tiny'],
    ['llama.context_length', 'u32', 128],
    ['llama.embedding_length', 'u32', e],
    ['llama.feed_forward_length', 'u32', f],
    ['llama.block_count', 'u32', shape.nLayer],
    ['llama.attention.head_count', 'u32', shape.nHead],
    ['llama.attention.head_count_kv', 'u32', shape.nHead],
    ['llama.rope.dimension_count', 'u32', e / shape.nHead],
    ['llama.attention.layer_norm_rms_epsilon', 'f32', 1e-5],
    ['tokenizer.ggml.model', 'str', 'llama'],
    ['tokenizer.ggml.tokens', 'arr-str', vocab.tokens],
    ['tokenizer.ggml.scores', 'arr-f32', vocab.scores],
    ['tokenizer.ggml.token_type', 'arr-i32', vocab.types],
    ['tokenizer.ggml.unknown_token_id', 'u32', 0],
    ['tokenizer.ggml.bos_token_id', 'u32', 1],
    ['tokenizer.ggml.eos_token_id', 'u32', 2],
  ];
  const head = new Out();
  head.push(Buffer.from('GGUF', 'latin1'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(kvs.length);
  for (const kv of kvs) writeKv(head, kv);
  const data = new Out();
  for (const t of tensors) {
    data.pad(32);
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(0);
    head.u64(data.len);
    const n = t.dims.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    // Rows of unequal scale, so an importance matrix has something to choose between.
    for (let i = 0; i < n; i++) v[i] = t.norm ? 1 : rng.normal() * 0.05 * (1 + (i % t.dims[0]!) / t.dims[0]!);
    data.push(Buffer.from(v.buffer));
  }
  head.pad(32);
  writeFileSync(path, Buffer.concat([head.bytes(), data.bytes()]));
  return tensors.map(({ name, dims }) => ({ name, dims }));
}
