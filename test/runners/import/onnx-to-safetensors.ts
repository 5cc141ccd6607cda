/**
 * Writes an ONNX Llama folder (MatMul weights (in, out), HF initializer names) back as a
 * Hugging Face safetensors folder: Linear weights transposed to torch's (out, in), a tied
 * lm_head left out, config.json and tokenizer files copied. What
 * datasets/hf-fixtures/make_fixtures.py does for stories260k in Python, so tests can build
 * the folder without committing the shared model's weights.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors, type TensorToWrite } from '../../../runners/formats/safetensors/index.js';
import { transpose } from '../../../runners/import/index.js';
import { listInitializers, readModelFile, tensorToFloat32 } from '../../../runners/formats/onnx/index.js';

/** Exports `onnxDir` into `out` (created) as `dtype`; returns `out`. */
export function exportOnnxFolder(onnxDir: string, out: string, tied: boolean, dtype: 'F32' | 'BF16' = 'F32'): string {
  const path = join(onnxDir, 'onnx', 'model.onnx');
  const model = readModelFile(path);
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const tensors: TensorToWrite[] = [];
  for (const info of listInitializers(model)) {
    if (!/^(model\.|lm_head\.)/u.test(info.name) || (tied && info.name === 'lm_head.weight')) continue;
    const values = tensorToFloat32(byName.get(info.name)!, path);
    if (info.dims.length === 2 && info.name !== 'model.embed_tokens.weight') {
      const [K, N] = info.dims;
      tensors.push({ name: info.name, shape: [N, K], values: transpose(values, K, N) });
    } else tensors.push({ name: info.name, shape: info.dims, values });
  }
  mkdirSync(out, { recursive: true });
  writeSafetensors(join(out, 'model.safetensors'), tensors, dtype);
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    if (existsSync(join(onnxDir, f))) copyFileSync(join(onnxDir, f), join(out, f));
  }
  return out;
}
