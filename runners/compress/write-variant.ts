/**
 * Writing a variant folder: the source's top-level files (config, tokenizer, …) copied,
 * config.json patched when sizes changed, `onnx/model.onnx` with weights inline or in
 * `onnx/model.onnx.data` beside it.
 */
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import type { OnnxModel } from '../formats/onnx/onnx-types.js';
import { encodeModel } from '../formats/onnx/read-model.js';

/** Name of the external weights file written beside model.onnx. */
export const EXTERNAL_DATA_FILE = 'model.onnx.data';

/** Tensors smaller than this stay inline when writing external data. */
const EXTERNAL_MIN_BYTES = 1024;

/** Checks that `outDir` can be created/written and is not the model folder itself; returns it resolved. */
export function checkOutputDir(modelDir: string, outDir: string): string {
  const out = resolve(outDir);
  const src = realpathSync(resolve(modelDir));
  const real = existsSync(out) ? realpathSync(out) : out;
  if (real === src) throw new InputError(`output folder ${out} is the input model folder; choose a new --out folder`);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new InputError(`output ${out} exists and is not a folder; choose a new --out folder`);
    if (existsSync(join(out, 'onnx', 'model.onnx')) && realpathSync(join(out, 'onnx', 'model.onnx')) === realpathSync(join(src, 'onnx', 'model.onnx'))) {
      throw new InputError(`output folder ${out} holds the input model; choose a new --out folder`);
    }
  }
  let probe = out;
  while (!existsSync(probe)) probe = dirname(probe);
  if (!statSync(probe).isDirectory()) throw new InputError(`output folder ${out} is not writable: ${probe} is a file; choose another --out folder`);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new InputError(`output folder ${out} is not writable (${probe} denies write access); choose another --out folder`);
  }
  return out;
}

/** Writes the variant folder; returns the bytes of the onnx/ files. */
export function writeVariant(srcDir: string, outDir: string, model: OnnxModel, options: { externalData: boolean; configPatch?: Record<string, number> }): { onnxBytes: number } {
  try {
    mkdirSync(join(outDir, 'onnx'), { recursive: true });
    for (const name of readdirSync(srcDir)) {
      const p = join(srcDir, name);
      if (name === 'compression.json' || !statSync(p).isFile()) continue;
      copyFileSync(p, join(outDir, name));
    }
    if (options.configPatch && Object.keys(options.configPatch).length > 0) {
      const cfg = JSON.parse(readFileSync(join(srcDir, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(outDir, 'config.json'), `${JSON.stringify({ ...cfg, ...options.configPatch }, null, 2)}\n`);
    }
    const modelPath = join(outDir, 'onnx', 'model.onnx');
    const dataPath = join(outDir, 'onnx', EXTERNAL_DATA_FILE);
    if (options.externalData) {
      writeWithExternalData(modelPath, model);
      return { onnxBytes: statSync(modelPath).size + statSync(dataPath).size };
    }
    writeFileSync(modelPath, encodeModel(model));
    return { onnxBytes: statSync(modelPath).size };
  } catch (e) {
    throw new InputError(`cannot write the variant to ${outDir}: ${messageOf(e)}`);
  }
}

/**
 * Writes `modelPath` and {@link EXTERNAL_DATA_FILE} beside it, every raw initializer of
 * ≥ 1 KiB in the data file; the tensors are written one after another, never concatenated
 * in memory (a model-sized buffer would double the peak memory of compression).
 */
export function writeWithExternalData(modelPath: string, model: OnnxModel): void {
  const { model: slim, chunks } = externalize(model);
  const fd = openSync(join(dirname(modelPath), EXTERNAL_DATA_FILE), 'w');
  try {
    for (const c of chunks) {
      for (let done = 0; done < c.length;) done += writeSync(fd, c, done, c.length - done);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(modelPath, encodeModel(slim));
}

/** Moves every raw initializer of ≥ 1 KiB to the data chunks, in order (16-byte aligned offsets). */
function externalize(model: OnnxModel): { model: OnnxModel; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const initializer = (model.graph?.initializer ?? []).map((t) => {
    const raw = t.raw_data;
    if (!raw || raw.length < EXTERNAL_MIN_BYTES) return t;
    const pad = (16 - (offset % 16)) % 16;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(raw);
    const entry = { ...t, raw_data: undefined, data_location: 1, external_data: [
      { key: 'location', value: EXTERNAL_DATA_FILE }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(raw.length) },
    ] };
    offset += raw.length;
    return entry;
  });
  return { model: { ...model, graph: { ...model.graph, initializer } }, chunks };
}
