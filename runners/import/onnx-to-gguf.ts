/**
 * An fp32 ONNX model folder (config.json, tokenizer.json, onnx/model.onnx: the bundled
 * teacher/student, an optimum export, `compbench synth` or `compbench import` output) ->
 * one GGUF file llama.cpp loads: llama.* hyperparameters, the tokenizer (gguf-vocab.ts)
 * and the weights under llama.cpp's names, Q/K rows permuted for its RoPE. F16 stores the
 * matrices in half precision and keeps 1-D norms in F32, as convert_hf_to_gguf.py does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { findInitializer, readModelFile, tensorToFloat32, type OnnxModel } from '../formats/onnx/index.js';
import { GgufKind, ggmlTypeByName, f32ToF16, writeGgufFile, type GgufEntry, type GgufTensorOut } from '../formats/gguf/index.js';
import { parseHfConfig } from './hf-config.js';
import { ggufVocab, type VocabForm } from './gguf-vocab.js';
import { ggufName, permuteRows, ropeRowSource } from './llama-tensor-names.js';

/** Options of {@link exportGguf}. */
export interface ExportOptions {
  /** Storage type of the matrices. */
  readonly dtype: 'F32' | 'F16';
}

/** What an export wrote. */
export interface ExportRecord {
  readonly file: string;
  readonly architecture: 'llama';
  readonly dtype: 'F32' | 'F16';
  readonly tensors: number;
  readonly bytes: number;
  /** How the tokenizer was carried over (gguf-vocab.ts). */
  readonly vocabForm: VocabForm;
  readonly tiedEmbeddings: boolean;
}

/** Ops that mean the graph's weights are already compressed (no fp32 weights to export). */
const COMPRESSED_OPS = new Set(['MatMulNBits', 'MatMulInteger', 'DynamicQuantizeLinear', 'DequantizeLinear', 'QuantizeLinear', 'GatherBlockQuantized', 'MatMulInteger16']);

type Json = Record<string, unknown>;

function readJson(path: string, fix: string): Json {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (e) {
    throw new InputError(`${path}: cannot read as JSON (${messageOf(e)}); ${fix}`);
  }
}

function checkUncompressed(model: OnnxModel, path: string): void {
  const hit = (model.graph?.node ?? []).find((n) => COMPRESSED_OPS.has(n.op_type ?? '') || (n.domain ?? '') === 'com.microsoft');
  if (hit) throw new InputError(`${path}: node '${hit.name}' is ${hit.op_type}, the model is already compressed; export its fp32 base model instead`);
}

/** float32 (rows, cols) -> (cols, rows). */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
}

function encode(values: Float32Array, dtype: 'F32' | 'F16'): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f32ToF16(values[i]);
  return new Uint8Array(out.buffer);
}

/** Writes `modelDir` as GGUF to `outFile`. */
export async function exportGguf(modelDir: string, outFile: string, options: ExportOptions): Promise<ExportRecord> {
  const dir = resolve(modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`${dir} is not a folder; give a model folder (config.json, tokenizer.json, onnx/model.onnx)`);
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new InputError(`${dir} has no config.json; give a model folder (config.json, tokenizer.json, onnx/model.onnx)`);
  const config = readJson(configPath, 'fix or re-export the model folder');
  const arch = Array.isArray(config.architectures) ? String(config.architectures[0]) : String(config.architectures);
  const notExported = `${configPath}: architecture ${arch} is not exported to GGUF (only LlamaForCausalLM, and MistralForCausalLM without a sliding window)`;
  if (arch !== 'LlamaForCausalLM' && arch !== 'MistralForCausalLM') throw new InputError(notExported);
  const hf = parseHfConfig(config, configPath);
  const s = hf.spec;
  if (s.slidingWindows.some((w) => w > 0)) throw new InputError(notExported);
  const ropeType = (config.rope_scaling as Json | null | undefined)?.rope_type ?? (config.rope_scaling as Json | null | undefined)?.type ?? (config.rope_parameters as Json | undefined)?.rope_type ?? 'default';
  if (ropeType !== 'default' || s.rope.kind !== 'static') throw new InputError(`${configPath}: rope_scaling ${JSON.stringify(ropeType)} is not exported to GGUF (only default RoPE)`);
  if (s.qkvBias || s.oBias || s.mlpBias) throw new InputError(`${configPath}: attention_bias/mlp_bias models are not exported to GGUF`);
  const tokPath = join(dir, 'tokenizer.json');
  if (!existsSync(tokPath)) throw new InputError(`${dir} has no tokenizer.json; GGUF needs the tokenizer (save it with tokenizer.save_pretrained)`);
  const tokConfigPath = join(dir, 'tokenizer_config.json');
  const vocab = ggufVocab(readJson(tokPath, 'fix the tokenizer file'), existsSync(tokConfigPath) ? readJson(tokConfigPath, 'fix the file') : {}, config, s.vocab, tokPath);
  if (vocab.tokens !== s.vocab) throw new InputError(`${tokPath}: the tokenizer has ${vocab.tokens} ids but config.json vocab_size is ${s.vocab}; fix vocab_size`);
  const onnxPath = join(dir, 'onnx', 'model.onnx');
  const model = readModelFile(onnxPath);
  checkUncompressed(model, onnxPath);

  const names = new Set((model.graph?.initializer ?? []).map((t) => t.name ?? ''));
  const tensors: GgufTensorOut[] = [];
  const f32 = ggmlTypeByName('F32')!, f16 = ggmlTypeByName('F16')!;
  const add = (hfName: string, rows: number, cols: number, values: Float32Array): void => {
    // GGUF dims are [cols, rows]: ggml's ne0 is the contiguous dimension
    const type = options.dtype === 'F16' && rows > 1 ? f16 : f32;
    tensors.push({ name: ggufName(hfName)!, dims: rows > 1 ? [cols, rows] : [cols], type, data: encode(values, rows > 1 ? options.dtype : 'F32') });
  };
  const read = (name: string, count: number): Float32Array => {
    if (!names.has(name)) throw new InputError(`${onnxPath}: no initializer '${name}'; only graphs whose weights carry Hugging Face Llama names export (optimum, compbench synth/import)`);
    const v = tensorToFloat32(findInitializer(model, name), onnxPath);
    if (v.length !== count) throw new InputError(`${onnxPath}: initializer '${name}' has ${v.length} values, config.json implies ${count}`);
    return v;
  };
  const { hidden: h, intermediate: I, vocab: V, heads: H, kvHeads: KVH, headDim: D } = s;
  add('model.embed_tokens.weight', V, h, read('model.embed_tokens.weight', V * h)); // (V,h) already row-major per token
  for (let l = 0; l < s.layers; l++) {
    const p = `model.layers.${l}`;
    // ONNX MatMul weights are (K,N) = (in, out); GGUF rows are outputs: (N,K)
    const linear = (name: string, K: number, N: number, ropeHeads = 0): void => {
      let w = transpose(read(`${p}.${name}`, K * N), K, N);
      if (ropeHeads) w = permuteRows(w, K, (r) => ropeRowSource(r, D));
      add(`${p}.${name}`, N, K, w);
    };
    add(`${p}.input_layernorm.weight`, 1, h, read(`${p}.input_layernorm.weight`, h));
    linear('self_attn.q_proj.weight', h, H * D, H);
    linear('self_attn.k_proj.weight', h, KVH * D, KVH);
    linear('self_attn.v_proj.weight', h, KVH * D);
    linear('self_attn.o_proj.weight', H * D, h);
    add(`${p}.post_attention_layernorm.weight`, 1, h, read(`${p}.post_attention_layernorm.weight`, h));
    linear('mlp.gate_proj.weight', h, I);
    linear('mlp.up_proj.weight', h, I);
    linear('mlp.down_proj.weight', I, h);
  }
  add('model.norm.weight', 1, h, read('model.norm.weight', h));
  const headStored = names.has('lm_head.weight');
  if (headStored) add('lm_head.weight', V, h, transpose(read('lm_head.weight', h * V), h, V));
  else if (!hf.tiedEmbeddings) read('lm_head.weight', h * V); // throws: an untied model needs its head

  const u32 = (value: number): GgufEntry => ({ kind: GgufKind.U32, value });
  const f32v = (value: number): GgufEntry => ({ kind: GgufKind.F32, value });
  const meta = new Map<string, GgufEntry>([
    ['general.architecture', { kind: GgufKind.STRING, value: 'llama' }],
    ['general.name', { kind: GgufKind.STRING, value: typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : dir.split('/').pop() ?? 'model' }],
    ['general.file_type', u32(options.dtype === 'F32' ? 0 : 1)], // LLAMA_FTYPE_ALL_F32 / MOSTLY_F16
    ['llama.context_length', u32(typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 2048)],
    ['llama.embedding_length', u32(h)],
    ['llama.feed_forward_length', u32(I)],
    ['llama.block_count', u32(s.layers)],
    ['llama.attention.head_count', u32(H)],
    ['llama.attention.head_count_kv', u32(KVH)],
    ['llama.attention.key_length', u32(D)],
    ['llama.attention.value_length', u32(D)],
    ['llama.rope.freq_base', f32v(Number(config.rope_theta ?? (config.rope_parameters as Json | undefined)?.rope_theta ?? 10000))],
    ['llama.rope.dimension_count', u32(D)],
    ['llama.attention.layer_norm_rms_epsilon', f32v(s.rmsNormEps)],
    ['llama.vocab_size', u32(V)],
    ...vocab.entries,
  ]);
  const out = resolve(outFile);
  writeGgufFile(out, meta, tensors);
  return { file: out, architecture: 'llama', dtype: options.dtype, tensors: tensors.length, bytes: statSync(out).size, vocabForm: vocab.form, tiedEmbeddings: !headStored };
}
