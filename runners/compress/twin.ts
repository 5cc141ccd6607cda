/**
 * The simulated twin of a packed graph: the same model with every packed kernel replaced
 * by fp32 ops that compute what that kernel is specified to compute, so a packed variant
 * can be checked against it on the machine that runs it (self-check.ts).
 * - MatMulNBits → MatMul with the dequantized weight (code − zero point)·scale.
 * - The W8A8 chain keeps DynamicQuantizeLinear and replaces MatMulInteger by
 *   (float(x_q) − float(x_zp)) @ (float(B) − float(b_zp)): the same integer products,
 *   summed in fp32 (exact below 2^24, a relative 6e-8 above), so only a kernel that
 *   computes other integers (saturation) differs.
 */
import { InputError } from '../../core/errors.js';
import { dequantizeMatMulNBits, type MatMulNBitsTensors } from '../../kernels/index.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../formats/onnx/onnx-types.js';
import { int64ToNumber } from '../formats/onnx/tensor-data.js';
import { intAttribute, replaceNode } from './emit-ops.js';
import { dimsOf, dropUnusedInitializers, floatTensor, initializerMap, putInitializer } from './model-graph.js';

/** What {@link simulatedTwin} replaced. */
export interface TwinCounts {
  readonly matMulNBits: number;
  readonly matMulInteger: number;
}

/** Rewrites `model` in place into its simulated twin (external data must be inlined first). */
export function simulatedTwin(model: OnnxModel): TwinCounts {
  const inits = initializerMap(model);
  let matMulNBits = 0;
  let matMulInteger = 0;
  for (const node of [...(model.graph?.node ?? [])]) {
    if (node.op_type === 'MatMulNBits' && node.domain === 'com.microsoft') {
      nbitsToMatMul(model, node, inits);
      matMulNBits++;
    } else if (node.op_type === 'MatMulInteger') {
      integerToMatMul(model, node, inits);
      matMulInteger++;
    }
  }
  dropUnusedInitializers(model);
  return { matMulNBits, matMulInteger };
}

function attr(node: OnnxNode, name: string): number | undefined {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a?.i === undefined || a.i === null ? undefined : int64ToNumber(a.i as number);
}

function bytesOf(inits: Map<string, OnnxTensor>, name: string | undefined, node: OnnxNode): Uint8Array {
  const t = name ? inits.get(name) : undefined;
  if (!t?.raw_data) throw new InputError(`self-check: ${node.name ?? node.op_type} input '${name ?? ''}' is not an inline initializer; the twin needs the packed weights`);
  return Uint8Array.from(t.raw_data);
}

function nbitsToMatMul(model: OnnxModel, node: OnnxNode, inits: Map<string, OnnxTensor>): void {
  const [x, bName, sName, zpName, ...rest] = node.input ?? [];
  if (rest.some((r) => r !== '')) throw new InputError(`self-check: ${node.name ?? 'MatMulNBits'} has inputs beyond zero points (g_idx/bias), which the twin does not model`);
  const K = attr(node, 'K')!;
  const N = attr(node, 'N')!;
  const bits = attr(node, 'bits') ?? 4;
  const blockSize = attr(node, 'block_size')!;
  const scalesT = inits.get(sName);
  if (scalesT?.data_type !== OnnxDataType.FLOAT) throw new InputError(`self-check: ${node.name ?? 'MatMulNBits'} scales are not float32`);
  const nBlocksPerCol = Math.ceil(K / blockSize);
  const sb = bytesOf(inits, sName, node);
  const t: MatMulNBitsTensors = {
    K, N, bits, blockSize, nBlocksPerCol, blobSize: (blockSize * bits) / 8,
    B: bytesOf(inits, bName, node),
    scales: new Float32Array(sb.buffer, sb.byteOffset, sb.byteLength / 4),
    ...(zpName ? { zeroPoints: bytesOf(inits, zpName, node) } : {}),
  };
  const name = `${bName}.twin`;
  putInitializer(model, floatTensor(name, [K, N], dequantizeMatMulNBits(t)));
  replaceNode(model, node, [{ name: `${node.name ?? bName}/twin`, op_type: 'MatMul', input: [x, name], output: [...(node.output ?? [])] }]);
}

function integerToMatMul(model: OnnxModel, node: OnnxNode, inits: Map<string, OnnxTensor>): void {
  const [xq, bName, xzp, bzpName] = node.input ?? [];
  const bT = inits.get(bName);
  if (!bT || dimsOf(bT).length !== 2) throw new InputError(`self-check: ${node.name ?? 'MatMulInteger'} weight '${bName}' is not a 2-D initializer`);
  const [K, N] = dimsOf(bT);
  const signed = bT.data_type === OnnxDataType.INT8;
  const b = bytesOf(inits, bName, node);
  const zp = bzpName ? bytesOf(inits, bzpName, node) : new Uint8Array(1);
  const value = (v: number): number => (signed && v > 127 ? v - 256 : v);
  // B' (K,N) = B − b_zp (per column or per tensor), as float
  const Bf = new Float32Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) Bf[k * N + n] = value(b[k * N + n]) - value(zp[zp.length === 1 ? 0 : n]);
  const base = `${bName}.twin`;
  putInitializer(model, floatTensor(base, [K, N], Bf));
  const nodes: OnnxNode[] = [
    { name: `${base}/CastX`, op_type: 'Cast', input: [xq], output: [`${base}.xf`], attribute: [intAttribute('to', OnnxDataType.FLOAT)] },
  ];
  let centred = `${base}.xf`;
  if (xzp) {
    nodes.push({ name: `${base}/CastZp`, op_type: 'Cast', input: [xzp], output: [`${base}.zf`], attribute: [intAttribute('to', OnnxDataType.FLOAT)] });
    nodes.push({ name: `${base}/Centre`, op_type: 'Sub', input: [`${base}.xf`, `${base}.zf`], output: [`${base}.xc`] });
    centred = `${base}.xc`;
  }
  nodes.push({ name: `${base}/MatMul`, op_type: 'MatMul', input: [centred, base], output: [...(node.output ?? [])] });
  replaceNode(model, node, nodes);
}
