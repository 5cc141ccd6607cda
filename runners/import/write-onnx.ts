/**
 * Writing an imported graph without holding its weights twice: either every weight stays
 * in memory once and model.onnx is written frame by frame (the protobuf of each
 * initializer's metadata, then its raw bytes, never one buffer of the whole model), or,
 * above the protobuf limit, the sink streams each weight into `model.onnx_data` (ONNX
 * external data, the name optimum and transformers.js use) as the builder makes it.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { OnnxDataType, onnxType, type OnnxModel, type OnnxTensor } from '../formats/onnx/index.js';
import type { WeightSink } from '../graph/index.js';

/** External data file name, beside model.onnx. */
export const EXTERNAL_DATA_NAME = 'model.onnx_data';

/** Weights above this many bytes go to external data (a protobuf cannot pass 2 GiB; the graph needs room). */
export const INLINE_LIMIT_BYTES = 2 ** 31 - 2 ** 26;

/** One write call at most (node refuses single writes of 2 GiB). */
const CHUNK_BYTES = 2 ** 30;

/** Tensors this small stay inline even in external mode. */
const SMALL_BYTES = 1024;

/** Keeps each weight in memory once: the tensor's raw_data is a view of the builder's array. */
export const inlineSink: WeightSink = (name, dims, values) => ({
  name,
  dims: [...dims],
  data_type: OnnxDataType.FLOAT,
  raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
});

/** A sink that appends each weight to one external-data file (64-byte aligned offsets). */
export class ExternalDataSink {
  private offset = 0;
  private readonly fd: number;

  /** @param path the data file (created or truncated) */
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** The sink function for the graph builder. */
  readonly sink: WeightSink = (name, dims, values) => {
    if (values.byteLength <= SMALL_BYTES) return inlineSink(name, dims, values.slice());
    const at = Math.ceil(this.offset / 64) * 64;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    for (let done = 0; done < bytes.byteLength; done += CHUNK_BYTES) writeSync(this.fd, bytes, done, Math.min(CHUNK_BYTES, bytes.byteLength - done), at + done);
    this.offset = at + values.byteLength;
    const entries = [['location', EXTERNAL_DATA_NAME], ['offset', String(at)], ['length', String(values.byteLength)]];
    return { name, dims: [...dims], data_type: OnnxDataType.FLOAT, data_location: 1, external_data: entries.map(([key, value]) => ({ key, value })) };
  };

  /** Bytes written. */
  get bytes(): number {
    return this.offset;
  }

  /** Closes the data file (after the last weight). */
  close(): void {
    closeSync(this.fd);
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/** Length-delimited field header: tag (field << 3 | 2) then the length. */
function fieldHeader(field: number, length: number): Uint8Array {
  return Uint8Array.from([...varint((field << 3) | 2), ...varint(length)]);
}

const MODEL_GRAPH_FIELD = 7;
const GRAPH_INITIALIZER_FIELD = 5;
const TENSOR_RAW_DATA_FIELD = 9;

/**
 * Writes `model` to `file` as one ModelProto: the model's and graph's other fields are
 * encoded by protobufjs, each initializer is framed by hand around its raw bytes
 * (protobuf fields may come in any order, so readers see the same message).
 */
export function writeModelFramed(model: OnnxModel, file: string): void {
  const { graph, ...rest } = model;
  const { initializer = [], ...graphRest } = graph ?? {};
  const encode = (type: string, value: object): Uint8Array => {
    const t = onnxType(type);
    return t.encode(t.fromObject(value as Record<string, unknown>)).finish();
  };
  const head = encode('ModelProto', rest);
  const graphHead = encode('GraphProto', graphRest);
  const frames = initializer.map((t: OnnxTensor) => {
    const { raw_data: raw, ...meta } = t;
    const metaBytes = encode('TensorProto', meta);
    const rawHeader = raw && raw.byteLength > 0 ? fieldHeader(TENSOR_RAW_DATA_FIELD, raw.byteLength) : new Uint8Array(0);
    const body = metaBytes.byteLength + rawHeader.byteLength + (raw?.byteLength ?? 0);
    return { header: fieldHeader(GRAPH_INITIALIZER_FIELD, body), metaBytes, rawHeader, raw };
  });
  const graphLength = graphHead.byteLength + frames.reduce((n, f) => n + f.header.byteLength + f.metaBytes.byteLength + f.rawHeader.byteLength + (f.raw?.byteLength ?? 0), 0);
  const fd = openSync(file, 'w');
  try {
    for (const part of [head, fieldHeader(MODEL_GRAPH_FIELD, graphLength), graphHead]) writeSync(fd, part);
    for (const f of frames) {
      writeSync(fd, f.header);
      writeSync(fd, f.metaBytes);
      if (f.raw && f.raw.byteLength > 0) {
        writeSync(fd, f.rawHeader);
        writeSync(fd, f.raw);
      }
    }
  } finally {
    closeSync(fd);
  }
}
