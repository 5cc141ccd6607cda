/**
 * Writing a variant folder: the source's top-level files (config, tokenizer, …) copied,
 * config.json patched when sizes changed, `onnx/model.onnx` with weights inline or in
 * `onnx/model.onnx.data` beside it.
 */
import { accessSync, closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { externalDataOf, resolveExternalPath } from '../formats/onnx/external-data.js';
import { readExternalBytes } from '../formats/onnx/initializer-data.js';
import type { OnnxModel, OnnxTensor } from '../formats/onnx/onnx-types.js';
import { encodeModel } from '../formats/onnx/read-model.js';

/** Name of the external weights file written beside model.onnx. */
export const EXTERNAL_DATA_FILE = 'model.onnx.data';

/** Tensors smaller than this stay inline when writing external data. */
const EXTERNAL_MIN_BYTES = 1024;

/** Bytes copied per read when a tensor is copied from the source model's data file. */
const COPY_CHUNK_BYTES = 16 << 20;

/**
 * Where tensors still stored externally (not yet read into memory) live: the source
 * model's file and folder, as in {@link readExternalBytes}.
 */
export interface ExternalSource {
  readonly onnxPath: string;
  readonly dir: string;
}

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

/**
 * Writes the variant folder; returns the bytes of the onnx/ files. Initializers still
 * stored externally are read from `options.source` (copied piecewise into the new data
 * file, or read in whole when the variant is written inline).
 */
export function writeVariant(
  srcDir: string, outDir: string, model: OnnxModel, options: { externalData: boolean; configPatch?: Record<string, number>; source?: ExternalSource },
): { onnxBytes: number } {
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
      writeWithExternalData(modelPath, model, options.source);
      return { onnxBytes: statSync(modelPath).size + statSync(dataPath).size };
    }
    writeFileSync(modelPath, encodeModel(options.source ? inlined(model, options.source) : model));
    return { onnxBytes: statSync(modelPath).size };
  } catch (e) {
    throw new InputError(`cannot write the variant to ${outDir}: ${messageOf(e)}`);
  }
}

/**
 * Writes `modelPath` and {@link EXTERNAL_DATA_FILE} beside it, every initializer of
 * ≥ 1 KiB in the data file; the tensors are written one after another, never concatenated
 * in memory (a model-sized buffer would double the peak memory of compression). A tensor
 * still stored in the source model's data file (`source`) is copied from there in pieces
 * of {@link COPY_CHUNK_BYTES}, at the same offset and with the same padding it would have
 * had in memory, so the file is byte-identical either way.
 */
export function writeWithExternalData(modelPath: string, model: OnnxModel, source?: ExternalSource): void {
  const { model: slim, chunks } = externalize(model, source);
  const fd = openSync(join(dirname(modelPath), EXTERNAL_DATA_FILE), 'w');
  try {
    for (const c of chunks) {
      if (c instanceof Uint8Array) writeAll(fd, c);
      else copyRange(fd, c);
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(modelPath, encodeModel(slim));
}

/** Bytes `offset .. offset + length` of the source file `path`. */
interface SourceRange {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

function writeAll(fd: number, c: Uint8Array): void {
  for (let done = 0; done < c.length;) done += writeSync(fd, c, done, c.length - done);
}

/** Appends the source range to `fd`, one chunk in memory at a time. */
function copyRange(fd: number, r: SourceRange): void {
  const buf = new Uint8Array(Math.min(COPY_CHUNK_BYTES, r.length));
  const src = openSync(r.path, 'r');
  try {
    for (let done = 0; done < r.length;) {
      const want = Math.min(buf.length, r.length - done);
      const n = readSync(src, buf, 0, want, r.offset + done);
      if (n === 0) throw new InputError(`${r.path}: ended at byte ${r.offset + done} while ${r.length} bytes were expected from ${r.offset}; the weights file is truncated`);
      writeAll(fd, buf.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(src);
  }
}

/** Where an external tensor's bytes lie in the source (bounds-checked), or its bytes when it is small enough to stay inline. */
function sourceOf(t: OnnxTensor, source: ExternalSource | undefined): SourceRange | Uint8Array {
  const ref = externalDataOf(t)!;
  if (!source) throw new Error(`tensor '${t.name ?? ''}' is stored externally but no source model was given to copy it from`);
  const path = resolveExternalPath(ref, source.onnxPath, source.dir);
  const size = statSync(path).size;
  const length = ref.length ?? size - ref.offset;
  if (length < EXTERNAL_MIN_BYTES) return readExternalBytes(t, source.onnxPath, source.dir);
  if (ref.offset + length > size) {
    throw new InputError(`${path}: tensor '${ref.tensorName}' needs bytes ${ref.offset}..${ref.offset + length} but the file has ${size}; the weights file is truncated`);
  }
  return { path, offset: ref.offset, length };
}

/** `model` with every external initializer read into raw_data (for an inline variant, < 2 GB by protobuf's limit). */
function inlined(model: OnnxModel, source: ExternalSource): OnnxModel {
  const initializer = (model.graph?.initializer ?? []).map((t) => (externalDataOf(t)
    ? { ...t, raw_data: readExternalBytes(t, source.onnxPath, source.dir), external_data: [], data_location: 0 } : t));
  return { ...model, graph: { ...model.graph, initializer } };
}

/**
 * Moves every initializer of ≥ 1 KiB to the data chunks, in order (16-byte aligned
 * offsets): raw bytes in memory, or a range of the source file for a tensor never read.
 */
function externalize(model: OnnxModel, source: ExternalSource | undefined): { model: OnnxModel; chunks: (Uint8Array | SourceRange)[] } {
  const chunks: (Uint8Array | SourceRange)[] = [];
  let offset = 0;
  const initializer = (model.graph?.initializer ?? []).map((t) => {
    let data: Uint8Array | SourceRange | undefined = t.raw_data;
    if (externalDataOf(t)) {
      data = sourceOf(t, source);
      // Under 1 KiB: inline, as it would be had it been read into memory.
      if (data instanceof Uint8Array) return { ...t, raw_data: data, external_data: [], data_location: 0 };
    }
    if (!data || data.length < EXTERNAL_MIN_BYTES) return t;
    const pad = (16 - (offset % 16)) % 16;
    if (pad) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(data);
    const entry = { ...t, raw_data: undefined, data_location: 1, external_data: [
      { key: 'location', value: EXTERNAL_DATA_FILE }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(data.length) },
    ] };
    offset += data.length;
    return entry;
  });
  return { model: { ...model, graph: { ...model.graph, initializer } }, chunks };
}
