import { readFileSync } from 'node:fs';
import { InputError, messageOf } from '../../../core/errors.js';
import { onnxType } from './onnx-proto.js';
import { checkExternalDataInside } from './external-data.js';
import type { OnnxModel, OnnxTensor } from './onnx-types.js';
import { int64ToNumber, tensorDataType, tensorStorage, type TensorStorage } from './tensor-data.js';

/** Decodes ONNX `ModelProto` bytes; `source` names the file in error messages. */
export function decodeModel(bytes: Uint8Array, source: string): OnnxModel {
  let model: OnnxModel;
  try {
    model = onnxType('ModelProto').decode(bytes) as unknown as OnnxModel;
  } catch (e) {
    throw new InputError(`${source} is not a valid ONNX model (protobuf decode failed: ${messageOf(e)}); re-export the model`);
  }
  // Random bytes sometimes decode as a protobuf; a real model has an IR version and a graph with nodes.
  if (model.ir_version == null || !model.graph || (model.graph.node ?? []).length === 0) {
    throw new InputError(`${source} is not a valid ONNX model (no ir_version or empty graph); re-export the model`);
  }
  return model;
}

/** Encodes a `ModelProto` back to bytes (inverse of {@link decodeModel}). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const type = onnxType('ModelProto');
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

/**
 * Reads and decodes an ONNX file, then checks that every external-data location stays
 * inside `allowedRoot` (default: the model file's own folder) before anything opens it.
 */
export function readModelFile(path: string, allowedRoot?: string): OnnxModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read ONNX model ${path}: ${messageOf(e)}`);
  }
  const model = decodeModel(bytes, path);
  checkExternalDataInside(model, path, allowedRoot);
  return model;
}

/** Name, shape, element type and storage of one initializer. */
export interface InitializerInfo {
  /** Initializer (tensor) name. */
  readonly name: string;
  /** Shape, outermost first. */
  readonly dims: readonly number[];
  /** ONNX `TensorProto.DataType` code (1 = float32). */
  readonly dataType: number;
  /** Number of elements (product of dims). */
  readonly elementCount: number;
  /** Where the values live. */
  readonly storage: TensorStorage;
}

/** Lists the main graph's initializers in file order. */
export function listInitializers(model: OnnxModel): InitializerInfo[] {
  return (model.graph?.initializer ?? []).map((t) => {
    const dims = (t.dims ?? []).map(int64ToNumber);
    return {
      name: t.name ?? '',
      dims,
      dataType: tensorDataType(t),
      elementCount: dims.reduce((a, b) => a * b, 1),
      storage: tensorStorage(t),
    };
  });
}

/** The main graph's initializer called `name`; InputError when absent. */
export function findInitializer(model: OnnxModel, name: string): OnnxTensor {
  const t = (model.graph?.initializer ?? []).find((x) => x.name === name);
  if (!t) throw new InputError(`initializer '${name}' not found in the ONNX graph '${model.graph?.name ?? ''}'`);
  return t;
}
