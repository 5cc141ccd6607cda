import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { isSafetensorsFolder } from '../formats/safetensors/index.js';
import { parseDecoderConfig, type DecoderConfig } from './model-config.js';
import { TextTokenizer } from './text-tokenizer.js';

/** A Hugging Face style model folder, checked and parsed (the ONNX graph is opened later by the session). */
export interface ModelFolder {
  /** Absolute folder path. */
  readonly dir: string;
  /** Absolute path of `onnx/model.onnx`. */
  readonly onnxPath: string;
  /** Decoder facts from config.json. */
  readonly config: DecoderConfig;
  /** The folder's tokenizer. */
  readonly tokenizer: TextTokenizer;
}

function readJson(path: string, what: string, required: boolean): unknown {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new InputError(`model folder is missing ${what}: ${path} not found`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${messageOf(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${path} is not valid JSON (${messageOf(e)}); fix or re-export the file`);
  }
}

/**
 * Opens a model folder: `config.json`, `tokenizer.json` (+ optional `tokenizer_config.json`,
 * `generation_config.json`) and the presence of `onnx/model.onnx`. Every problem is an
 * InputError naming the file.
 */
export function loadModelFolder(dirArg: string): ModelFolder {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`model folder ${dir} not found; pass a folder holding config.json, tokenizer.json and onnx/model.onnx`);
  }
  const configPath = join(dir, 'config.json');
  const config = parseDecoderConfig(
    readJson(configPath, 'config.json', true),
    configPath,
    readJson(join(dir, 'generation_config.json'), 'generation_config.json', false),
  );
  const tokenizerPath = join(dir, 'tokenizer.json');
  const tokenizerJson = readJson(tokenizerPath, 'tokenizer.json', true);
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'), 'tokenizer_config.json', false) ?? {};
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null) throw new InputError(`${tokenizerPath}: expected a JSON object`);
  const tokenizer = new TextTokenizer(tokenizerJson, tokenizerConfig as object, config.bosTokenId ?? config.eosTokenIds[0], tokenizerPath);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new InputError(
      `${tokenizerPath}: the tokenizer has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocabSize}; use the tokenizer the model was trained with`,
    );
  }
  const onnxPath = join(dir, 'onnx', 'model.onnx');
  if (!existsSync(onnxPath)) {
    if (isSafetensorsFolder(dir)) throw new InputError(`${dir} is a Hugging Face safetensors folder without onnx/model.onnx; import it first: compbench import --from ${dir} --out DIR (a run config may name it directly)`);
    throw new InputError(`model folder is missing onnx/model.onnx: ${onnxPath} not found; export the model to ONNX`);
  }
  return { dir, onnxPath, config, tokenizer };
}
