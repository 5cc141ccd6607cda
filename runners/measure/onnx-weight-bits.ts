/**
 * Bits per parameter an ONNX model file really stores (issue 24), counted from its
 * initializers. A parameter is a logical weight: a MatMulNBits matrix counts K × N
 * parameters whatever its packing; its packed blocks, scales, zero points and g_idx are
 * storage of those parameters. Quantization metadata (scales and zero points of
 * MatMulInteger / DequantizeLinear / QuantizeLinear, the weight scale that rescales a
 * MatMulInteger product) is storage without parameters. int32/int64 initializers that feed
 * no weight slot are shape and index constants: neither parameters nor weight bytes.
 */
import type { WeightStorageRecord } from '../../core/run-record.js';
import { weightStorage } from './tensor-group.js';
import { externalDataOf, int64ToNumber, OnnxDataType, tensorDataType, tensorElementCount, type OnnxModel, type OnnxNode, type OnnxTensor } from '../formats/onnx/index.js';

/** Bytes per element of ONNX data types (int4/uint4 pack two per byte). */
const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [OnnxDataType.FLOAT]: 4, [OnnxDataType.UINT8]: 1, [OnnxDataType.INT8]: 1, [OnnxDataType.UINT16]: 2, [OnnxDataType.INT16]: 2,
  [OnnxDataType.INT32]: 4, [OnnxDataType.INT64]: 8, [OnnxDataType.BOOL]: 1, [OnnxDataType.FLOAT16]: 2, [OnnxDataType.DOUBLE]: 8,
  [OnnxDataType.UINT32]: 4, [OnnxDataType.UINT64]: 8, [OnnxDataType.BFLOAT16]: 2, 21: 0.5, 22: 0.5,
};

/** Input slots (op → indices) that hold quantization metadata, not weights. */
const METADATA_INPUTS: Readonly<Record<string, readonly number[]>> = {
  MatMulNBits: [2, 3, 4],
  MatMulInteger: [2, 3],
  DequantizeLinear: [1, 2],
  QuantizeLinear: [1, 2],
};

/** The bytes a tensor occupies in the file (raw bytes, external span, or count × width for typed fields). */
export function storedTensorBytes(t: OnnxTensor): number {
  const ext = externalDataOf(t);
  if (ext?.length !== undefined) return ext.length;
  if (t.raw_data && t.raw_data.length > 0) return t.raw_data.length;
  return Math.ceil(tensorElementCount(t) * (ELEMENT_BYTES[tensorDataType(t)] ?? 4));
}

function intAttr(node: OnnxNode, name: string): number | undefined {
  const a = node.attribute?.find((x) => x.name === name) as { i?: Parameters<typeof int64ToNumber>[0] } | undefined;
  return a?.i === undefined ? undefined : int64ToNumber(a.i);
}


/** Initializer names that the token embedding (a Gather's data) and the output head (the node writing `logits`) read. */
function embeddingNames(model: OnnxModel, initializers: ReadonlySet<string>): Set<string> {
  const nodes = model.graph?.node ?? [];
  const names = new Set<string>();
  for (const n of nodes) if (n.op_type === 'Gather' && initializers.has(n.input?.[0] ?? '')) names.add(n.input![0]);
  const outputs = new Set(((model.graph as { output?: { name?: string }[] }).output ?? []).map((o) => o.name ?? ''));
  const logitsName = outputs.has('logits') ? 'logits' : undefined;
  const head = nodes.find((n) => logitsName !== undefined && (n.output ?? []).includes(logitsName));
  for (const name of head?.input ?? []) if (initializers.has(name)) names.add(name);
  return names;
}

/**
 * Counts an ONNX graph's parameters and stored weight bytes, split into embedding + head
 * and body. `file` is recorded as given (relative to the variant's folder).
 */
export function onnxWeightBits(model: OnnxModel, file: string): WeightStorageRecord {
  const inits = model.graph?.initializer ?? [];
  const byName = new Map(inits.map((t) => [t.name ?? '', t]));
  const nodes = model.graph?.node ?? [];
  const metadata = new Set<string>();
  const nbitsParams = new Map<string, number>();
  const intWeights = new Set<string>();
  const dqScales = new Set(nodes.filter((n) => n.op_type === 'DynamicQuantizeLinear').map((n) => n.output?.[1] ?? ''));
  for (const n of nodes) {
    const inputs = n.input ?? [];
    for (const i of METADATA_INPUTS[n.op_type ?? ''] ?? []) if (byName.has(inputs[i] ?? '')) metadata.add(inputs[i]);
    if (n.op_type === 'MatMulNBits' && byName.has(inputs[1] ?? '')) nbitsParams.set(inputs[1], (intAttr(n, 'K') ?? 0) * (intAttr(n, 'N') ?? 0));
    if ((n.op_type === 'MatMulInteger' || n.op_type === 'DequantizeLinear') && byName.has(inputs[n.op_type === 'MatMulInteger' ? 1 : 0] ?? '')) intWeights.add(inputs[n.op_type === 'MatMulInteger' ? 1 : 0]);
    // W8A8: Mul(activation scale, weight scale) rescales the int32 product; the weight scale is metadata.
    if (n.op_type === 'Mul' && inputs.some((x) => dqScales.has(x))) for (const x of inputs) if (byName.has(x)) metadata.add(x);
  }
  const embedding = embeddingNames(model, new Set(byName.keys()));
  const totals: Record<'embedding' | 'body', [number, number]> = { embedding: [0, 0], body: [0, 0] };
  for (const t of inits) {
    const name = t.name ?? '';
    const type = tensorDataType(t);
    const bytes = storedTensorBytes(t);
    let params: number;
    if (nbitsParams.has(name)) params = nbitsParams.get(name)!;
    else if (metadata.has(name)) params = 0;
    else if (intWeights.has(name) || (ELEMENT_BYTES[type] ?? 4) <= 2 || type === OnnxDataType.FLOAT || type === OnnxDataType.DOUBLE) params = tensorElementCount(t);
    else continue; // int32/int64 constants (shapes, indices)
    const side = embedding.has(name) ? totals.embedding : totals.body;
    side[0] += params;
    side[1] += bytes;
  }
  return weightStorage(totals.embedding, totals.body, file, 'ONNX initializers: a MatMulNBits matrix counts K×N parameters and stores its packed blocks, scales and zero points; other float and ≤16-bit integer tensors count one parameter per element; scales and zero points of quantized ops are stored bytes without parameters; int32/int64 shape constants are left out');
}
