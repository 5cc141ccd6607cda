/**
 * Writes a synthetic model as a Hugging Face style folder that runners/model/model-folder.ts
 * opens: config.json, generation_config.json, the bundled teacher's tokenizer files,
 * onnx/model.onnx with its weights in onnx/model.onnx.data, and synth.json describing it.
 */
import { closeSync, copyFileSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../core/paths.js';
import { encodeModel, type OnnxModel } from '../formats/onnx/index.js';
import { headDimOf, RMS_NORM_EPS, ROPE_THETA, type LlamaShape } from './llama-shape.js';

/** Tensors this small stay inline in model.onnx (the int64 shape constants). */
const INLINE_MAX_BYTES = 1024;

/** Tokenizer files copied from the bundled teacher (a 2048-token BPE). */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;

/** Special token ids of that tokenizer (datasets/models/teacher/config.json). */
const SPECIAL_IDS = { bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 } as const;

/**
 * Writes `model` as `dir/onnx/model.onnx` with every initializer over 1 KiB in
 * `model.onnx.data` (ONNX external data, 4 KiB-aligned offsets): encoding gigabytes inline
 * through protobufjs is far too slow, and one protobuf cannot pass 2 GB. `model` is not
 * changed. Returns the model file.
 */
export function writeOnnxWithExternalData(model: OnnxModel, dir: string): string {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const file = join(dir, 'onnx', 'model.onnx');
  const dataName = 'model.onnx.data';
  const fd = openSync(join(dir, 'onnx', dataName), 'w');
  let offset = 0;
  try {
    const initializer = (model.graph?.initializer ?? []).map((t) => {
      const bytes = t.raw_data ?? new Uint8Array(0);
      if (bytes.byteLength <= INLINE_MAX_BYTES) return t;
      const aligned = Math.ceil(offset / 4096) * 4096;
      writeSync(fd, bytes, 0, bytes.byteLength, aligned);
      offset = aligned + bytes.byteLength;
      const { raw_data: _inline, ...rest } = t;
      const entries = [['location', dataName], ['offset', String(aligned)], ['length', String(bytes.byteLength)]];
      return { ...rest, data_location: 1, external_data: entries.map(([key, value]) => ({ key, value })) };
    });
    writeFileSync(file, encodeModel({ ...model, graph: { ...model.graph, initializer } }));
  } finally {
    closeSync(fd);
  }
  return file;
}

/** config.json of a LlamaForCausalLM with this shape (fields as the teacher's). */
export function llamaConfigJson(s: LlamaShape): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    attention_bias: false,
    attention_dropout: 0.0,
    ...SPECIAL_IDS,
    head_dim: headDimOf(s),
    hidden_act: 'silu',
    hidden_size: s.hidden,
    initializer_range: 0.02,
    intermediate_size: s.intermediate,
    max_position_embeddings: s.maxPositions,
    mlp_bias: false,
    model_type: 'llama',
    num_attention_heads: s.heads,
    num_hidden_layers: s.layers,
    num_key_value_heads: s.kvHeads,
    pretraining_tp: 1,
    rms_norm_eps: RMS_NORM_EPS,
    rope_scaling: null,
    rope_theta: ROPE_THETA,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: s.vocab,
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes the whole folder for `model` (a {@link buildSynthLlama} graph in some format);
 * `description` goes into synth.json after the kind and shape. Returns the model file.
 */
export function writeSynthLlamaFolder(model: OnnxModel, dir: string, shape: LlamaShape, description: Record<string, unknown>): string {
  const file = writeOnnxWithExternalData(model, dir);
  writeFileSync(join(dir, 'config.json'), json(llamaConfigJson(shape)));
  writeFileSync(join(dir, 'generation_config.json'), json(SPECIAL_IDS));
  for (const name of TOKENIZER_FILES) copyFileSync(packagePath('datasets', 'models', 'teacher', name), join(dir, name));
  writeFileSync(join(dir, 'synth.json'), json({ kind: 'llama (random weights)', shape, headDim: headDimOf(shape), ...description }));
  return file;
}
