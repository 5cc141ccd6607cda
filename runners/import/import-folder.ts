/**
 * A Hugging Face safetensors folder -> an HF-layout ONNX folder that the runtime, the
 * compression surgery and transformers.js load as they load an optimum export:
 * config.json (the source's), generation_config.json and tokenizer files copied,
 * onnx/model.onnx (+ onnx/model.onnx_data above 2 GiB of weights) and import.json
 * recording where it came from. Written into a temp sibling and renamed into place, so a
 * crash leaves no half folder.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { fileSha256 } from '../../core/file-hash.js';
import { encodeModel } from '../formats/onnx/index.js';
import { loadModelFolder } from '../model/model-folder.js';
import { isFloatDtype, openCheckpoint, type Checkpoint } from '../formats/safetensors/index.js';
import { buildDecoderGraph } from '../graph/index.js';
import { checkpointWeights } from './checkpoint-weights.js';
import { parseHfConfig, type HfModel } from './hf-config.js';
import { EXTERNAL_DATA_NAME, ExternalDataSink, INLINE_LIMIT_BYTES, inlineSink, writeModelFramed } from './write-onnx.js';

/** Files copied from the source folder when present (tokenizer.json is required). */
export const COPIED_FILES = ['generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'] as const;

/** Version of the importer's graph: part of import.json and of the run cache key. */
export const IMPORTER_VERSION = 1;

/** Options of {@link importCheckpointFolder}. */
export interface ImportOptions {
  /** Write external data whatever the size (tests; default: only above 2 GiB). */
  readonly forceExternalData?: boolean;
  /** sha256 of a source file when the caller already hashed it (the run cache), so big shards are not read twice. */
  readonly knownSha256?: (path: string) => string | undefined;
}

/** What an import wrote. */
export interface ImportResult {
  readonly dir: string;
  readonly architecture: string;
  /** fp32 bytes of all weights in the graph. */
  readonly weightBytes: number;
  /** Whether the weights are in onnx/model.onnx_data. */
  readonly externalData: boolean;
  /** Storage dtypes of the source tensors, e.g. ['BF16']. */
  readonly sourceDtypes: readonly string[];
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`cannot read ${path} as JSON (${messageOf(e)}); the folder needs a valid config.json`);
  }
}

export { fileSha256 };

/** fp32 bytes the graph will hold: every checkpoint tensor, plus the transposed embedding when the head is tied. */
function graphWeightBytes(ckpt: Checkpoint, model: HfModel): number {
  let n = 0;
  for (const e of ckpt.entries.values()) n += e.shape.reduce((a, b) => a * b, 1) * 4;
  return n + (model.tiedEmbeddings && !ckpt.entries.has('lm_head.weight') ? model.spec.vocab * model.spec.hidden * 4 : 0);
}

/** Reads the source's config.json and checks the architecture (cheap: no weights read). */
export function readSourceModel(from: string): HfModel {
  const configPath = join(from, 'config.json');
  if (!existsSync(configPath)) throw new InputError(`${from} has no config.json; give a Hugging Face model folder (config.json, *.safetensors, tokenizer.json)`);
  return parseHfConfig(readJson(configPath), configPath);
}

/** Imports `fromArg` into `outArg` (a new or empty folder). */
export function importCheckpointFolder(fromArg: string, outArg: string, options: ImportOptions = {}): ImportResult {
  const from = resolve(fromArg);
  const out = resolve(outArg);
  if (!existsSync(from) || !statSync(from).isDirectory()) throw new InputError(`--from ${from} is not a folder; give a Hugging Face model folder`);
  if (existsSync(out) && readdirSync(out).length > 0) throw new InputError(`--out ${out} is not empty; pick a new folder`);
  const model = readSourceModel(from);
  if (!existsSync(join(from, 'tokenizer.json'))) throw new InputError(`${from} has no tokenizer.json; the runtime needs the fast-tokenizer file (save it with tokenizer.save_pretrained)`);
  const ckpt = openCheckpoint(from);
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  try {
    const weightBytes = graphWeightBytes(ckpt, model);
    const externalData = options.forceExternalData === true || weightBytes > INLINE_LIMIT_BYTES;
    const weights = checkpointWeights(ckpt, model);
    const labels = { name: `${model.family}_imported`, producer: 'compbench import' };
    const onnxPath = join(tmp, 'onnx', 'model.onnx');
    if (externalData) {
      const data = new ExternalDataSink(join(tmp, 'onnx', EXTERNAL_DATA_NAME));
      try {
        const graph = buildDecoderGraph(model.spec, weights.source, labels, data.sink);
        weights.checkAllUsed();
        writeFileSync(onnxPath, encodeModel(graph));
      } finally {
        data.close();
      }
    } else {
      const graph = buildDecoderGraph(model.spec, weights.source, labels, inlineSink);
      weights.checkAllUsed();
      writeModelFramed(graph, onnxPath);
    }
    const config = readJson(join(from, 'config.json')) as Record<string, unknown>;
    // transformers.js loads external data only when the config says so
    if (externalData) config['transformers.js_config'] = { ...(config['transformers.js_config'] as object | undefined), use_external_data_format: true };
    writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    for (const name of COPIED_FILES) if (existsSync(join(from, name))) copyFileSync(join(from, name), join(tmp, name));
    const sourceDtypes = [...new Set([...ckpt.entries.values()].map((e) => e.dtype))].sort();
    const nonFloat = sourceDtypes.find((d) => !isFloatDtype(d));
    if (nonFloat) throw new InputError(`${from}: holds ${nonFloat} tensors; only F32/F16/BF16/F64 checkpoints import`);
    const record = {
      importer: 'compbench import',
      importerVersion: IMPORTER_VERSION,
      architecture: model.architecture,
      family: model.family,
      source: { dir: from, files: ['config.json', ...ckpt.files].map((f) => ({ file: f, bytes: statSync(join(from, f)).size, sha256: options.knownSha256?.(join(from, f)) ?? fileSha256(join(from, f)) })) },
      sourceDtypes,
      weightBytes,
      externalData,
      tiedEmbeddings: model.tiedEmbeddings,
      slidingWindows: model.spec.slidingWindows,
      rope: model.spec.rope.kind,
    };
    writeFileSync(join(tmp, 'import.json'), `${JSON.stringify(record, null, 2)}\n`);
    try {
      loadModelFolder(tmp); // the folder must open as the runtime opens it (tokenizer, config)
    } catch (e) {
      // the copied files are the source's: name those
      throw e instanceof InputError ? new InputError(e.message.split(tmp).join(from)) : e;
    }
    if (existsSync(out)) rmdirSync(out);
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
    return { dir: out, architecture: model.architecture, weightBytes, externalData, sourceDtypes };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    ckpt.close();
  }
}
