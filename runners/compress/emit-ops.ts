/**
 * Graph rewrites that swap a fp32 MatMul for the ops onnxruntime executes on packed
 * weights: com.microsoft MatMulNBits (weight-only, blockwise) and the ONNX W8A8 chain
 * DynamicQuantizeLinear → MatMulInteger → Cast → Mul.
 */
import type { MatMulIntegerWeights, MatMulNBitsTensors } from '../../kernels/index.js';
import type { OnnxAttribute, OnnxModel, OnnxNode } from '../formats/onnx/onnx-types.js';
import type { Int8Form, Int8FormChoice } from './int8-form.js';
import { byteTensor, floatTensor, putInitializer, type TargetMatMul } from './model-graph.js';

/** ONNX AttributeProto.AttributeType codes used here. */
const ATTR_INT = 2;

/** An int attribute. */
export function intAttribute(name: string, i: number): OnnxAttribute {
  return { name, type: ATTR_INT, i };
}

/** Adds the com.microsoft opset import once. */
export function useMicrosoftDomain(model: OnnxModel): void {
  const list = ((model as { opset_import?: { domain?: string; version?: number }[] }).opset_import ??= []);
  if (!list.some((o) => o.domain === 'com.microsoft')) list.push({ domain: 'com.microsoft', version: 1 });
}

/** What a MatMulNBits rewrite used, for compression.json. */
export interface NBitsOpRecord {
  readonly op: 'com.microsoft.MatMulNBits';
  readonly bits: number;
  readonly block_size: number;
  readonly accuracy_level: number;
  readonly zero_points: boolean;
}

/**
 * Turns `target`'s MatMul into MatMulNBits reading packed B, scales and optional zero
 * points (kernels/pack-nbits.ts layout). The weight initializer is left for
 * dropUnusedInitializers.
 * // X (…,K) @ W (K,N) -> MatMulNBits(X, B [N][nBlocks][blob], scales [N,nBlocks], zp)
 */
export function emitMatMulNBits(model: OnnxModel, target: TargetMatMul, t: MatMulNBitsTensors, accuracyLevel: number): NBitsOpRecord {
  useMicrosoftDomain(model);
  const base = target.weight;
  putInitializer(model, byteTensor(`${base}.q${t.bits}`, [t.N, t.nBlocksPerCol, t.blobSize], t.B, false));
  putInitializer(model, floatTensor(`${base}.scales`, [t.N, t.nBlocksPerCol], t.scales));
  const inputs = [target.node.input![0], `${base}.q${t.bits}`, `${base}.scales`];
  if (t.zeroPoints) {
    putInitializer(model, byteTensor(`${base}.zero_points`, [t.N, t.zeroPoints.length / t.N], t.zeroPoints, false));
    inputs.push(`${base}.zero_points`);
  }
  const node = target.node;
  node.op_type = 'MatMulNBits';
  node.domain = 'com.microsoft';
  node.input = inputs;
  node.attribute = [
    intAttribute('K', t.K), intAttribute('N', t.N), intAttribute('bits', t.bits),
    intAttribute('block_size', t.blockSize), intAttribute('accuracy_level', accuracyLevel),
  ];
  return { op: 'com.microsoft.MatMulNBits', bits: t.bits, block_size: t.blockSize, accuracy_level: accuracyLevel, zero_points: t.zeroPoints !== undefined };
}

/** What a W8A8 rewrite used, for compression.json. */
export interface W8A8OpRecord {
  readonly op: 'DynamicQuantizeLinear+MatMulInteger+Cast+Mul';
  readonly weight: 'int8 symmetric';
  /** How the int8 codes are stored for MatMulInteger: int8 (U8S8) or shifted by 128 into uint8 (U8U8). */
  readonly operands: Int8Form;
  /** Why this CPU got that form (int8-form.ts). */
  readonly operandsReason: string;
  readonly weightScales: 'per-column' | 'per-tensor';
  readonly activation: 'uint8 asymmetric per tensor, dynamic';
}

/**
 * Replaces `target`'s MatMul by the W8A8 chain (returns the new nodes, in order, to put
 * where the MatMul was):
 *   x_q, x_s, x_zp = DynamicQuantizeLinear(X)
 *   acc = MatMulInteger(x_q, B int8 (K,N), x_zp, b_zp)          // int32 (…,N)
 *   y = Cast(acc → float) · (x_s · b_scale)                      // b_scale (N,) or (1,)
 */
export function emitW8A8(model: OnnxModel, target: TargetMatMul, w: MatMulIntegerWeights, int8: Int8FormChoice): { nodes: OnnxNode[]; record: W8A8OpRecord } {
  const base = target.weight;
  const p = (s: string): string => `${base}.w8a8.${s}`;
  const signed = int8.form === 'u8s8';
  // U8U8: b + 128 and zp + 128 keep every difference b − zp, so the products are the same integers.
  putInitializer(model, byteTensor(p('B'), [w.K, w.N], signed ? w.B : shiftToUint8(w.B), signed));
  putInitializer(model, byteTensor(p('b_zero_point'), [w.bZeroPoint.length], signed ? w.bZeroPoint : shiftToUint8(w.bZeroPoint), signed));
  putInitializer(model, floatTensor(p('b_scale'), [w.bScale.length], w.bScale));
  const out = target.node.output![0];
  const name = target.node.name ?? base;
  const nodes: OnnxNode[] = [
    { name: `${name}/DynamicQuantizeLinear`, op_type: 'DynamicQuantizeLinear', input: [target.node.input![0]], output: [p('x_q'), p('x_scale'), p('x_zero_point')] },
    { name: `${name}/MatMulInteger`, op_type: 'MatMulInteger', input: [p('x_q'), p('B'), p('x_zero_point'), p('b_zero_point')], output: [p('acc')] },
    { name: `${name}/Cast`, op_type: 'Cast', input: [p('acc')], output: [p('acc_float')], attribute: [intAttribute('to', 1)] },
    { name: `${name}/ScaleProduct`, op_type: 'Mul', input: [p('x_scale'), p('b_scale')], output: [p('scale')] },
    { name: `${name}/Rescale`, op_type: 'Mul', input: [p('acc_float'), p('scale')], output: [out] },
  ];
  const record: W8A8OpRecord = {
    op: 'DynamicQuantizeLinear+MatMulInteger+Cast+Mul', weight: 'int8 symmetric', operands: int8.form, operandsReason: int8.reason,
    weightScales: w.bScale.length === w.N && w.N > 1 ? 'per-column' : 'per-tensor', activation: 'uint8 asymmetric per tensor, dynamic',
  };
  return { nodes, record };
}

/** int8 codes + 128 as uint8 bytes (−128 → 0, 127 → 255). */
export function shiftToUint8(v: Int8Array): Uint8Array {
  return Uint8Array.from(v, (x) => x + 128);
}

/** Replaces node `old` in the graph's node list by `nodes` (same position: keeps topological order). */
export function replaceNode(model: OnnxModel, old: OnnxNode, nodes: readonly OnnxNode[]): void {
  const list = model.graph!.node!;
  const i = list.indexOf(old);
  if (i < 0) throw new Error(`replaceNode: node ${old.name ?? ''} not in graph`);
  list.splice(i, 1, ...nodes);
}

/** Inserts `node` just before `before` in the graph's node list. */
export function insertBefore(model: OnnxModel, before: OnnxNode, node: OnnxNode): void {
  const list = model.graph!.node!;
  const i = list.indexOf(before);
  if (i < 0) throw new Error(`insertBefore: node ${before.name ?? ''} not in graph`);
  list.splice(i, 0, node);
}
