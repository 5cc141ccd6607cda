/**
 * A model folder's ONNX graph held in memory for surgery: the decoded ModelProto, every
 * fp32 initializer as a Float32Array, and the MatMuls eligible for compression (second
 * input a 2-D fp32 initializer W (K,N)).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { feedFile } from '../../core/file-hash.js';
import { externalDataOf, externalDataRefs, resolveExternalPath } from '../formats/onnx/external-data.js';
import { initializerFloat32, readExternalBytes } from '../formats/onnx/initializer-data.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../formats/onnx/onnx-types.js';
import { readModelFile } from '../formats/onnx/read-model.js';
import { int64ToNumber } from '../formats/onnx/tensor-data.js';

/** One MatMul whose weight can be compressed. */
export interface TargetMatMul {
  /** The MatMul node (mutated by surgery). */
  readonly node: OnnxNode;
  /** Activation input tensor name (X). */
  readonly input: string;
  /** Weight initializer name (W). */
  readonly weight: string;
  /** In features. */
  readonly K: number;
  /** Out features. */
  readonly N: number;
}

/** A model opened for surgery. */
export interface SurgeryModel {
  /** Absolute model folder. */
  readonly dir: string;
  /** Absolute path of onnx/model.onnx. */
  readonly onnxPath: string;
  readonly model: OnnxModel;
  /** True when the source stored any tensor in an external file. */
  readonly hadExternalData: boolean;
  /** sha256 of model.onnx followed by its external data files, in reference order. */
  readonly sha256: string;
}

/** Which MatMuls are excluded by default. */
export interface TargetOptions {
  /** Also compress the output head (`lm_head` / the MatMul producing `logits`). */
  readonly includeHead?: boolean;
}

/** Opens `dir/onnx/model.onnx` (external data checked to stay inside `dir`). */
export function openSurgeryModel(dirArg: string): SurgeryModel {
  const dir = resolve(dirArg);
  const onnxPath = join(dir, 'onnx', 'model.onnx');
  const model = readModelFile(onnxPath, dir);
  const hash = createHash('sha256');
  hash.update(readFileSync(onnxPath));
  const refs = externalDataRefs(model);
  const files = [...new Set(refs.map((r) => resolveExternalPath(r, onnxPath, dir)))];
  for (const f of files) feedFile(f, hash);
  return { dir, onnxPath, model, hadExternalData: refs.length > 0, sha256: hash.digest('hex') };
}

/** Every initializer of the main graph, by name. */
export function initializerMap(model: OnnxModel): Map<string, OnnxTensor> {
  return new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
}

/** Dims of a tensor as numbers. */
export function dimsOf(t: OnnxTensor): number[] {
  return (t.dims ?? []).map(int64ToNumber);
}

/** The fp32 values of initializer `name` (inline or external). */
export function weightValues(m: SurgeryModel, name: string): Float32Array {
  return initializerFloat32(m.model, name, m.onnxPath, m.dir);
}

/**
 * MatMuls whose second input is a 2-D float32 initializer, in graph order. The output
 * head is skipped unless `includeHead`; embeddings are Gathers and never appear here.
 */
export function findTargets(model: OnnxModel, options: TargetOptions = {}): TargetMatMul[] {
  const inits = initializerMap(model);
  const outputs = new Set(graphOutputs(model).map((o) => o.name));
  const out: TargetMatMul[] = [];
  for (const node of model.graph?.node ?? []) {
    if (node.op_type !== 'MatMul' || (node.domain ?? '') !== '') continue;
    const [input, weight] = node.input ?? [];
    const t = inits.get(weight ?? '');
    if (!t || (t.data_type ?? 0) !== OnnxDataType.FLOAT) continue;
    const dims = dimsOf(t);
    if (dims.length !== 2) continue;
    const isHead = /lm_head/u.test(weight) || (node.output ?? []).some((o) => outputs.has(o));
    if (isHead && !options.includeHead) continue;
    out.push({ node, input: input ?? '', weight, K: dims[0], N: dims[1] });
  }
  return out;
}

/** Throws the CLI's one-line error when a model has nothing to compress. */
export function requireTargets(targets: readonly TargetMatMul[], m: SurgeryModel): void {
  if (targets.length === 0) {
    throw new InputError(`${m.onnxPath} has no eligible MatMul (a MatMul whose second input is a 2-D float32 initializer); nothing to compress`);
  }
}

/** Node producing each tensor. */
export function producers(model: OnnxModel): Map<string, OnnxNode> {
  const map = new Map<string, OnnxNode>();
  for (const n of model.graph?.node ?? []) for (const o of n.output ?? []) map.set(o, n);
  return map;
}

/** Nodes reading each tensor. */
export function consumers(model: OnnxModel): Map<string, OnnxNode[]> {
  const map = new Map<string, OnnxNode[]>();
  for (const n of model.graph?.node ?? []) {
    for (const i of n.input ?? []) {
      if (!map.has(i)) map.set(i, []);
      map.get(i)!.push(n);
    }
  }
  return map;
}

/** A float32 initializer holding `values` with the given dims (raw little-endian bytes). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  return { name, dims: [...dims], data_type: OnnxDataType.FLOAT, raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice() };
}

/**
 * An initializer of 8-bit values (uint8 or int8). An array owning its whole buffer (a
 * kernel's fresh packed codes) is taken as is, not copied: the surgery of a large model
 * would otherwise hold every packed weight twice; do not change it afterwards.
 */
export function byteTensor(name: string, dims: readonly number[], values: Uint8Array | Int8Array, signed: boolean): OnnxTensor {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const whole = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
  return { name, dims: [...dims], data_type: signed ? OnnxDataType.INT8 : OnnxDataType.UINT8, raw_data: whole ? bytes : bytes.slice() };
}

/** An int64 initializer. */
export function int64Tensor(name: string, values: readonly number[]): OnnxTensor {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return { name, dims: [values.length], data_type: OnnxDataType.INT64, raw_data: bytes };
}

/** Replaces initializer `name` (same name) with `t`, or appends it. */
export function putInitializer(model: OnnxModel, t: OnnxTensor): void {
  const list = (model.graph!.initializer ??= []);
  const i = list.findIndex((x) => x.name === t.name);
  if (i >= 0) list[i] = t;
  else list.push(t);
}

/** Removes Constant nodes and initializers nothing reads any more. */
export function dropUnusedInitializers(model: OnnxModel): void {
  const read = new Set<string>(graphOutputs(model).map((o) => o.name ?? ''));
  for (const n of model.graph?.node ?? []) for (const i of n.input ?? []) read.add(i);
  model.graph!.node = (model.graph!.node ?? []).filter((n) => n.op_type !== 'Constant' || (n.output ?? []).some((o) => read.has(o)));
  const used = new Set<string>();
  for (const n of model.graph?.node ?? []) for (const i of n.input ?? []) used.add(i);
  for (const o of graphOutputs(model)) used.add(o.name ?? '');
  model.graph!.initializer = (model.graph!.initializer ?? []).filter((t) => used.has(t.name ?? ''));
}

/** The graph's outputs (ValueInfoProto; the type only names them). */
export function graphOutputs(model: OnnxModel): { name?: string }[] {
  return (model.graph?.output as { name?: string }[] | undefined) ?? [];
}

/** Reads every externally stored initializer into raw_data, so the graph is self-contained in memory. */
export function inlineExternalData(m: SurgeryModel): void {
  for (const t of m.model.graph?.initializer ?? []) {
    if (!externalDataOf(t)) continue;
    t.raw_data = readExternalBytes(t, m.onnxPath, m.dir);
    t.external_data = [];
    t.data_location = 0;
  }
}
