/**
 * Weight formats of a MatMul stack for decode timing: fp32 as built, com.microsoft
 * MatMulNBits (RTN, asymmetric, block 32) at 8/4/2 bits and an accuracy level, or the W8A8
 * chain (int8 per-column weights, dynamic uint8 activations). Every eligible MatMul changes.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { matMulIntegerWeights, packMatMulNBits, quantizeRtn, quantizeWeightInt8 } from '../../kernels/index.js';
import { encodeModel, type OnnxModel } from '../onnx/index.js';
import { emitMatMulNBits, emitW8A8, replaceNode } from '../compress/emit-ops.js';
import { dropUnusedInitializers, findTargets, initializerMap } from '../compress/model-graph.js';

/** A weight format. */
export type StackFormat = { readonly kind: 'fp32' } | { readonly kind: 'nbits'; readonly bits: number; readonly accuracyLevel: number } | { readonly kind: 'w8a8' };

/** Quantization block of the MatMulNBits formats. */
export const NBITS_BLOCK = 32;

/** A short label, e.g. `nbits4-acc4`. */
export function formatLabel(f: StackFormat): string {
  return f.kind === 'nbits' ? `nbits${f.bits}-acc${f.accuracyLevel}` : f.kind;
}

/** A copy of the fp32 stack `base` in format `f` (base itself is not changed). */
export function convertStack(base: OnnxModel, f: StackFormat): OnnxModel {
  const model: OnnxModel = structuredClone(base);
  if (f.kind === 'fp32') return model;
  const inits = initializerMap(model);
  for (const t of findTargets(model)) {
    const raw = inits.get(t.weight)!.raw_data!;
    const W = new Float32Array(raw.slice().buffer); // (K,N) row-major, copied to an aligned buffer
    if (f.kind === 'nbits') {
      const q = quantizeRtn(W, t.K, t.N, { bits: f.bits, granularity: NBITS_BLOCK });
      emitMatMulNBits(model, t, packMatMulNBits(q, NBITS_BLOCK), f.accuracyLevel);
    } else {
      const q = quantizeWeightInt8(W, t.K, t.N, 'channel');
      const { nodes } = emitW8A8(model, t, matMulIntegerWeights({ K: t.K, N: t.N, ...q, weightZeroPoints: new Int8Array(t.N) }));
      replaceNode(model, t.node, nodes);
    }
  }
  dropUnusedInitializers(model);
  return model;
}

/** Bytes of all initializers: what one batch-1 forward reads from memory at least. */
export function weightBytes(model: OnnxModel): number {
  return (model.graph?.initializer ?? []).reduce((sum, t) => sum + (t.raw_data?.byteLength ?? 0), 0);
}

/**
 * Writes `model` as `dir/onnx/model.onnx` with every initializer's bytes in
 * `model.onnx.data` (ONNX external data, 4 KiB-aligned offsets): encoding gigabytes
 * inline through protobufjs is far too slow, and one protobuf cannot pass 2 GB.
 * Returns the model file; `model` is not changed.
 */
export function writeStackFolder(model: OnnxModel, dir: string, description: Record<string, unknown>): string {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const file = join(dir, 'onnx', 'model.onnx');
  const dataName = 'model.onnx.data';
  const fd = openSync(join(dir, 'onnx', dataName), 'w');
  let offset = 0;
  try {
    const initializer = (model.graph?.initializer ?? []).map((t) => {
      const bytes = t.raw_data ?? new Uint8Array(0);
      const aligned = Math.ceil(offset / 4096) * 4096;
      writeSync(fd, bytes, 0, bytes.byteLength, aligned);
      offset = aligned + bytes.byteLength;
      const { raw_data: _inline, ...rest } = t;
      const entries = [['location', dataName], ['offset', String(aligned)], ['length', String(bytes.byteLength)]];
      return { ...rest, data_location: 1, external_data: entries.map(([key, value]) => ({ key, value })) };
    });
    writeFileSync(file, encodeModel({ ...model, graph: { ...model.graph, initializer } }));
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(dir, 'synth.json'), `${JSON.stringify({ kind: 'matmul-stack (not a full model)', ...description }, null, 2)}\n`);
  return file;
}

/** A copy of a MatMulNBits stack with every node's accuracy_level set to `level` (no re-quantizing). */
export function withAccuracyLevel(model: OnnxModel, level: number): OnnxModel {
  const copy: OnnxModel = structuredClone(model);
  for (const node of copy.graph?.node ?? []) {
    if (node.op_type !== 'MatMulNBits') continue;
    node.attribute = (node.attribute ?? []).map((a) => (a.name === 'accuracy_level' ? { ...a, i: level } : a));
  }
  return copy;
}
