import type { InferenceSession } from 'onnxruntime-node';
import { InputError } from '../../../core/errors.js';
import type { ModelFolder } from '../../model/model-folder.js';
import type { OnnxGraph, OnnxModel, OnnxNode } from '../../formats/onnx/index.js';

/**
 * Ops whose statistics span the whole tensor, so one row's result depends on every other
 * row and on padding: DynamicQuantizeLinear takes one scale and zero point per tensor (W8A8).
 */
const ROW_MIXING_OPS: ReadonlySet<string> = new Set(['DynamicQuantizeLinear', 'DynamicQuantizeMatMul']);

/** True when some node of `model` (subgraphs and functions included) mixes rows of a batch. */
export function rowsInteract(model: OnnxModel): boolean {
  const mixes = (nodes: readonly OnnxNode[] | null | undefined): boolean =>
    (nodes ?? []).some((n) => ROW_MIXING_OPS.has(n.op_type ?? '') || (n.attribute ?? []).some((a) => subgraphs(a.g, a.graphs).some((g) => mixes(g.node))));
  return mixes(model.graph?.node) || (model.functions ?? []).some((f) => mixes(f.node));
}

/** An attribute's graphs (protobufjs leaves absent message fields null). */
function subgraphs(g: OnnxGraph | null | undefined, graphs: readonly OnnxGraph[] | null | undefined): OnnxGraph[] {
  return [...(g ? [g] : []), ...(graphs ?? [])];
}

/** Names and sizes of a decoder graph's inputs and outputs, checked against config.json. */
export interface DecoderIo {
  /** The graph takes `position_ids`. */
  readonly hasPositionIds: boolean;
  /** The graph takes `use_cache_branch` (optimum's merged decoder). */
  readonly hasCacheBranch: boolean;
  /** Per layer `[pastKey, pastValue]` input names; empty when the graph has no KV cache. */
  readonly pastNames: readonly (readonly [string, string])[];
  /** Per layer `[presentKey, presentValue]` output names (parallel to pastNames). */
  readonly presentNames: readonly (readonly [string, string])[];
  /** Vocabulary size of the logits output when the graph states it, else undefined. */
  readonly logitsVocab: number | undefined;
}

const PAST = /^past_key_values\.(\d+)\.(key|value)$/;

function shapeOf(meta: readonly InferenceSession.ValueMetadata[], name: string): readonly (number | string)[] {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m.shape : [];
}

function typeOf(meta: readonly InferenceSession.ValueMetadata[], name: string): string | undefined {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m.type : undefined;
}

/** Inspects `session` (inputs/outputs/metadata) and checks it against the folder's config and tokenizer. */
export function inspectDecoderIo(session: InferenceSession, folder: ModelFolder): DecoderIo {
  const where = folder.onnxPath;
  const inputs = new Set(session.inputNames);
  for (const need of ['input_ids', 'attention_mask']) {
    if (!inputs.has(need)) throw new InputError(`${where} has no '${need}' input (inputs: ${session.inputNames.join(', ')}); export a text-generation decoder with optimum`);
  }
  if (!session.outputNames.includes('logits')) throw new InputError(`${where} has no 'logits' output; export a causal language model`);
  const layers = new Map<number, Set<string>>();
  for (const name of session.inputNames) {
    const m = PAST.exec(name);
    if (m) layers.set(Number(m[1]), (layers.get(Number(m[1])) ?? new Set()).add(m[2]));
    else if (name.startsWith('past')) throw new InputError(`${where}: KV-cache input '${name}' is not named past_key_values.{i}.key|value; re-export with optimum`);
  }
  const pastNames: [string, string][] = [];
  const presentNames: [string, string][] = [];
  const { config } = folder;
  if (layers.size > 0) {
    if (layers.size !== config.numLayers) {
      throw new InputError(`${folder.dir}/config.json: num_hidden_layers is ${config.numLayers} but ${where} has KV inputs for ${layers.size} layers`);
    }
    for (let i = 0; i < layers.size; i++) {
      const kinds = layers.get(i);
      if (!kinds || kinds.size !== 2) throw new InputError(`${where}: layer ${i} lacks past_key_values.${i}.key or .value`);
      pastNames.push([`past_key_values.${i}.key`, `past_key_values.${i}.value`]);
      const present: [string, string] = [`present.${i}.key`, `present.${i}.value`];
      for (const p of present) if (!session.outputNames.includes(p)) throw new InputError(`${where}: output '${p}' is missing`);
      presentNames.push(present);
    }
    const shape = shapeOf(session.inputMetadata, pastNames[0][0]);
    const [, heads, , headDim] = shape;
    if ((typeof heads === 'number' && heads !== config.numKvHeads) || (typeof headDim === 'number' && headDim !== config.headDim)) {
      throw new InputError(
        `${folder.dir}/config.json: KV heads ${config.numKvHeads} × head_dim ${config.headDim} do not match the graph's past shape [${shape.join(', ')}]; fix num_key_value_heads/head_dim`,
      );
    }
    const type = typeOf(session.inputMetadata, pastNames[0][0]);
    if (type !== undefined && type !== 'float32') throw new InputError(`${where}: KV cache is ${type}; compbench runs float32 KV caches only`);
  }
  const logitsDim = shapeOf(session.outputMetadata, 'logits')[2];
  const logitsVocab = typeof logitsDim === 'number' ? logitsDim : undefined;
  if (logitsVocab !== undefined && folder.tokenizer.vocabSize > logitsVocab) {
    throw new InputError(
      `${folder.dir}/tokenizer.json: the tokenizer has ${folder.tokenizer.vocabSize} tokens but the model's logits have ${logitsVocab}; use the tokenizer the model was trained with`,
    );
  }
  return { hasPositionIds: inputs.has('position_ids'), hasCacheBranch: inputs.has('use_cache_branch'), pastNames, presentNames, logitsVocab };
}
