/** The part of long.js' `Long` that compbench reads. */
export interface LongLike {
  toNumber(): number;
}

/** An int64 field as protobufjs decodes it (a Long when long.js is installed). */
export type Int64 = number | LongLike;

/** `StringStringEntryProto`. */
export interface OnnxEntry {
  key?: string;
  value?: string;
}

/** `TensorProto` (fields compbench uses; protobufjs field names, snake_case). */
export interface OnnxTensor {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  external_data?: OnnxEntry[];
  data_location?: number;
  [field: string]: unknown;
}

/** `AttributeProto` (tensor- and graph-valued fields are walked for external data). */
export interface OnnxAttribute {
  name?: string;
  t?: OnnxTensor;
  g?: OnnxGraph;
  tensors?: OnnxTensor[];
  graphs?: OnnxGraph[];
  sparse_tensor?: { values?: OnnxTensor; indices?: OnnxTensor };
  sparse_tensors?: { values?: OnnxTensor; indices?: OnnxTensor }[];
  [field: string]: unknown;
}

/** `NodeProto`. */
export interface OnnxNode {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: OnnxAttribute[];
  [field: string]: unknown;
}

/** `GraphProto`. */
export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  sparse_initializer?: { values?: OnnxTensor; indices?: OnnxTensor }[];
  [field: string]: unknown;
}

/** `ModelProto`. */
export interface OnnxModel {
  ir_version?: Int64;
  graph?: OnnxGraph;
  functions?: { node?: OnnxNode[] }[];
  [field: string]: unknown;
}
