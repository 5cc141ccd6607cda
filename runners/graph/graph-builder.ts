/**
 * A small helper that appends ONNX nodes and initializers in order, so a graph reads like
 * the forward pass it computes. Node names double as their output names.
 */
import { OnnxDataType } from '../formats/onnx/index.js';
import type { OnnxAttribute, OnnxNode, OnnxTensor } from '../formats/onnx/index.js';
import { floatTensor } from '../compress/model-graph.js';

/** ONNX AttributeProto.AttributeType codes. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** Attribute values a node can take here. */
export type AttributeValue = number | readonly number[] | { readonly float: number };

function attribute(name: string, v: AttributeValue): OnnxAttribute {
  if (typeof v === 'number') return { name, type: ATTR_INT, i: v };
  if ('float' in v) return { name, type: ATTR_FLOAT, f: v.float };
  return { name, type: ATTR_INTS, ints: [...v] };
}

function int64Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(8 * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return bytes;
}

/**
 * Turns a float32 weight into the initializer the graph keeps: by default a copy held
 * inline; the importer's sink streams the bytes to an external-data file instead.
 */
export type WeightSink = (name: string, dims: readonly number[], values: Float32Array) => OnnxTensor;

/** Nodes and initializers of one graph under construction. */
export class GraphBuilder {
  /** Nodes in topological order. */
  readonly nodes: OnnxNode[] = [];
  /** Initializers, weights first in creation order. */
  readonly initializers: OnnxTensor[] = [];
  private readonly constants = new Map<string, string>();

  /** @param sink where weights go (default: inline copies) */
  constructor(private readonly sink: WeightSink = floatTensor) {}

  /** Appends `op_type(inputs)` with output `name`; returns `name`. */
  op(opType: string, inputs: readonly string[], name: string, attributes: Record<string, AttributeValue> = {}): string {
    return this.opOutputs(opType, inputs, [name], attributes, name)[0];
  }

  /** Appends a node with several outputs (named `outputs`); returns them. */
  opOutputs(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, AttributeValue>, name: string): readonly string[] {
    this.nodes.push({ name, op_type: opType, input: [...inputs], output: [...outputs], attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return outputs;
  }

  /** A float32 initializer (through the sink); returns its name. */
  weight(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push(this.sink(name, dims, values));
    return name;
  }

  /** A shared int64 constant: a scalar for a number, 1-D for an array. */
  int64(values: number | readonly number[]): string {
    const list = typeof values === 'number' ? [values] : values;
    const key = `i64:${typeof values === 'number' ? 's' : 'v'}:${list.join(',')}`;
    return this.constant(key, () => ({ dims: typeof values === 'number' ? [] : [list.length], data_type: OnnxDataType.INT64, raw_data: int64Bytes(list) }));
  }

  /** A shared float32 scalar constant. */
  float(value: number): string {
    return this.constant(`f32:${value}`, () => ({ dims: [], data_type: OnnxDataType.FLOAT, raw_data: new Uint8Array(Float32Array.of(value).buffer) }));
  }

  private constant(key: string, make: () => OnnxTensor): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = `const_${this.constants.size}`;
    this.initializers.push({ name, ...make() });
    this.constants.set(key, name);
    return name;
  }
}

/** A tensor value info: element type and dims (a string names a symbolic dim). */
export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): Record<string, unknown> {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}
