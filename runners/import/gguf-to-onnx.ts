/**
 * A llama.cpp GGUF file (architecture 'llama') -> an HF-style ONNX folder that onnxruntime
 * runs with the same weights: config.json and tokenizer files rebuilt from the metadata,
 * onnx/model.onnx from the shared graph builder, Q4_0/Q8_0 matrices as MatMulNBits with the
 * file's own blocks (gguf-weights.ts) unless `weights: 'fp32'` asks for plain float32,
 * everything else as the float32 values ggml's dequantizer gives. import.json records each tensor's ggml type and graph form. Written to
 * a temp sibling and renamed into place.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { dequantizerOf, ggufNumber, ggufString, readGgufFile, readGgufTensorBytes, type GgufFile, type GgufTensorInfo } from '../formats/gguf/index.js';
import { buildDecoderGraph } from '../graph/index.js';
import { emitMatMulNBits } from '../compress/emit-ops.js';
import { dropUnusedInitializers, findTargets } from '../compress/model-graph.js';
import { loadModelFolder } from '../model/model-folder.js';
import { parseHfConfig } from './hf-config.js';
import { fileSha256 } from './import-folder.js';
import { hfName } from './llama-tensor-names.js';
import { graphWeight, type GraphWeight, type WeightForm } from './gguf-weights.js';
import { tokenizerFromGguf } from './gguf-tokenizer-json.js';
import { INLINE_LIMIT_BYTES, inlineSink, writeModelFramed } from './write-onnx.js';

/**
 * MatMulNBits accuracy_level of the imported Q4_0/Q8_0 matrices: 4 quantizes activations
 * to int8 per block, as llama.cpp's CPU matmul does for these types (vec_dot_type Q8_0).
 */
export const GGUF_IMPORT_ACCURACY_LEVEL = 4;

/** What an import wrote. */
export interface ImportRecord {
  readonly dir: string;
  readonly architecture: 'llama';
  /** Per tensor: GGUF name, ggml type and how the graph holds it. */
  readonly tensors: readonly { readonly name: string; readonly type: string; readonly form: WeightForm }[];
  /** tokenizer.json form ('llama' SPM or 'gpt2 (pre)'). */
  readonly tokenizer: string;
  /** MatMulNBits accuracy_level of the packed matrices (0 with `weights: 'fp32'`: there are none). */
  readonly accuracyLevel: number;
}

function hyper(file: GgufFile, key: string, fallback?: number): number {
  const v = ggufNumber(file, `llama.${key}`) ?? fallback;
  if (v === undefined) throw new InputError(`${file.path}: metadata 'llama.${key}' is missing; re-convert the model with a current llama.cpp`);
  return v;
}

/** config.json of the GGUF's model (LlamaForCausalLM). */
function configOf(file: GgufFile, vocab: number, tied: boolean): Record<string, unknown> {
  const arch = ggufString(file, 'general.architecture');
  if (arch !== 'llama') throw new InputError(`${file.path}: general.architecture ${JSON.stringify(arch)} is not supported for import (only 'llama')`);
  const scaling = ggufString(file, 'llama.rope.scaling.type');
  if (scaling && scaling !== 'none') throw new InputError(`${file.path}: llama.rope.scaling.type '${scaling}' is not supported for import (only unscaled RoPE)`);
  const hidden = hyper(file, 'embedding_length'), heads = hyper(file, 'attention.head_count');
  const headDim = hyper(file, 'attention.key_length', hidden / heads);
  if (hyper(file, 'rope.dimension_count', headDim) !== headDim) throw new InputError(`${file.path}: llama.rope.dimension_count differs from the head size (partial RoPE) and is not supported for import`);
  const id = (k: string): number | undefined => ggufNumber(file, `tokenizer.ggml.${k}_token_id`);
  return {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_act: 'silu', attention_bias: false, mlp_bias: false,
    hidden_size: hidden, intermediate_size: hyper(file, 'feed_forward_length'), num_hidden_layers: hyper(file, 'block_count'),
    num_attention_heads: heads, num_key_value_heads: hyper(file, 'attention.head_count_kv', heads), head_dim: headDim,
    vocab_size: vocab, rms_norm_eps: hyper(file, 'attention.layer_norm_rms_epsilon'), rope_theta: hyper(file, 'rope.freq_base', 10000),
    rope_scaling: null, max_position_embeddings: hyper(file, 'context_length', 2048), tie_word_embeddings: tied,
    bos_token_id: id('bos'), eos_token_id: id('eos'), ...(id('padding') !== undefined ? { pad_token_id: id('padding') } : {}), torch_dtype: 'float32',
  };
}

/** Options of {@link importGguf}. */
export interface ImportGgufOptions {
  /**
   * `packed` (default): Q4_0/Q8_0 matrices as MatMulNBits with the file's blocks. `fp32`:
   * every tensor dequantized to float32 initializers, plain MatMul everywhere — the exact
   * weights in fp32 arithmetic, as the self-check's twin of a llama.cpp variant needs.
   */
  readonly weights?: 'packed' | 'fp32';
}

/** Imports the GGUF `fileArg` into `outArg` (a new or empty folder). */
export async function importGguf(fileArg: string, outArg: string, options: ImportGgufOptions = {}): Promise<ImportRecord> {
  const weights = options.weights ?? 'packed';
  if (weights !== 'packed' && weights !== 'fp32') throw new InputError(`options.weights must be 'packed' or 'fp32' (got ${JSON.stringify(weights)})`);
  const path = resolve(fileArg);
  const out = resolve(outArg);
  if (existsSync(out) && readdirSync(out).length > 0) throw new InputError(`--out ${out} is not empty; pick a new folder`);
  const file = readGgufFile(path);
  for (const t of file.tensors) dequantizerOf(t.type, path, t.name);
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const embd = byName.get('token_embd.weight');
  if (!embd || embd.dims.length !== 2) throw new InputError(`${path}: no 2-D tensor 'token_embd.weight'; not a llama.cpp Llama model`);
  const tied = !byName.has('output.weight');
  const config = configOf(file, embd.dims[1], tied);
  const model = parseHfConfig(config, `${path} (as config.json)`);
  const unknown = file.tensors.find((t) => !hfName(t.name));
  if (unknown) throw new InputError(`${path}: tensor '${unknown.name}' has no place in a Llama graph (biases and extra tensors are not supported for import)`);
  const fp32Bytes = file.tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1) * 4, 0);
  if (fp32Bytes > INLINE_LIMIT_BYTES) throw new InputError(`${path}: ${(fp32Bytes / 2 ** 30).toFixed(1)} GiB of weights once unpacked; GGUF import handles models under 2 GiB (fp32) for now`);

  const converted = new Map<string, GraphWeight>();
  const records: { name: string; type: string; form: WeightForm }[] = [];
  const byHf = new Map(file.tensors.map((t) => [hfName(t.name), t]));
  const tensorFor = (hf: string): GgufTensorInfo => {
    const g = hf === 'lm_head.weight' && tied ? embd : byHf.get(hf);
    if (!g) throw new InputError(`${path}: no tensor for ${hf}; the file is not a complete llama.cpp Llama model`);
    return g;
  };
  const headDim = model.spec.headDim;
  const source = (hf: string, dims: readonly number[]): Float32Array => {
    const info = tensorFor(hf);
    const matrix = /_proj\.weight$/.test(hf) || hf === 'lm_head.weight';
    const rope = /self_attn\.[qk]_proj\.weight$/.test(hf) ? headDim : undefined;
    const got = graphWeight(info, readGgufTensorBytes(file, info), path, { matrix, ropeHeadDim: rope });
    const w: GraphWeight = weights === 'fp32' ? { values: got.values, form: 'float32' } : got;
    const want = dims.reduce((a, b) => a * b, 1);
    if (w.values.length !== want) throw new InputError(`${path}: tensor '${info.name}' has ${w.values.length} values, the Llama hyperparameters imply ${want} (${dims.join('×')})`);
    converted.set(hf, w);
    if (!(hf === 'lm_head.weight' && tied)) records.push({ name: info.name, type: info.type.name, form: w.form });
    return w.values;
  };
  const graph = buildDecoderGraph(model.spec, source, { name: 'llama_gguf_imported', producer: 'compbench import (gguf)' }, inlineSink);
  for (const target of findTargets(graph, { includeHead: true })) {
    const packed = converted.get(target.weight)?.packed;
    if (packed) emitMatMulNBits(graph, target, packed, GGUF_IMPORT_ACCURACY_LEVEL);
  }
  dropUnusedInitializers(graph);

  const tok = tokenizerFromGguf(file);
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  try {
    writeModelFramed(graph, join(tmp, 'onnx', 'model.onnx'));
    const json = (name: string, v: unknown): void => writeFileSync(join(tmp, name), `${JSON.stringify(v, null, 2)}\n`);
    json('config.json', config);
    json('tokenizer.json', tok.tokenizer);
    json('tokenizer_config.json', tok.tokenizerConfig);
    const record: ImportRecord = { dir: out, architecture: 'llama', tensors: records, tokenizer: tok.form, accuracyLevel: weights === 'fp32' ? 0 : GGUF_IMPORT_ACCURACY_LEVEL };
    json('import.json', { importer: 'compbench import (gguf)', source: { file: path, bytes: file.fileBytes, sha256: fileSha256(path), ggufVersion: file.version }, ...record, dir: undefined });
    loadModelFolder(tmp);
    if (existsSync(out)) rmdirSync(out);
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
    return record;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
