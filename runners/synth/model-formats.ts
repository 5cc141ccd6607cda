/**
 * Weight formats of a synthetic model: fp32 as built, com.microsoft MatMulNBits (RTN,
 * asymmetric, block 32) at 8/4/2 bits and an accuracy level, or the W8A8 chain (int8
 * per-column weights, dynamic uint8 activations). Every eligible MatMul changes, the output
 * head included; the embedding is a Gather and stays fp32.
 */
import { matMulIntegerWeights, packMatMulNBits, quantizeRtn, quantizeWeightInt8 } from '../../kernels/index.js';
import type { OnnxModel } from '../formats/onnx/index.js';
import { emitMatMulNBits, emitW8A8, replaceNode } from '../compress/emit-ops.js';
import { chooseInt8Form } from '../compress/int8-form.js';
import { dropUnusedInitializers, findTargets, initializerMap } from '../compress/model-graph.js';

/** A weight format. */
export type SynthFormat = { readonly kind: 'fp32' } | { readonly kind: 'nbits'; readonly bits: number; readonly accuracyLevel: number } | { readonly kind: 'w8a8' };

/** Quantization block of the MatMulNBits formats. */
export const NBITS_BLOCK = 32;

/** What happens to lm_head in every format (recorded in synth.json). */
export const LM_HEAD_POLICY = 'quantized like the layers (embedding Gather stays fp32)';

/** Every format, in benchmark order. */
export const SYNTH_FORMATS: readonly SynthFormat[] = [
  { kind: 'fp32' },
  ...[8, 4, 2].flatMap((bits) => [0, 4].map((accuracyLevel) => ({ kind: 'nbits' as const, bits, accuracyLevel }))),
  { kind: 'w8a8' },
];

/** A short label, e.g. `nbits4-acc4`. */
export function formatLabel(f: SynthFormat): string {
  return f.kind === 'nbits' ? `nbits${f.bits}-acc${f.accuracyLevel}` : f.kind;
}

/**
 * A copy of `model` whose nodes and initializer list are new but whose weight bytes are
 * shared: conversions replace initializers, they never write into one, and cloning a
 * gigabyte of fp32 per format would double the peak memory.
 */
function cloneSharingWeights(model: OnnxModel): OnnxModel {
  const { graph, ...rest } = model;
  const { initializer, ...graphRest } = graph ?? {};
  return { ...structuredClone(rest), graph: { ...structuredClone(graphRest), initializer: [...(initializer ?? [])] } };
}

/** A copy of the fp32 model `base` in format `f` (base is not changed). */
export function convertModel(base: OnnxModel, f: SynthFormat): OnnxModel {
  const model = cloneSharingWeights(base);
  if (f.kind === 'fp32') return model;
  const inits = initializerMap(model);
  const int8 = chooseInt8Form();
  for (const t of findTargets(model, { includeHead: true })) {
    const raw = inits.get(t.weight)!.raw_data!;
    // W (K,N) row-major; a view when aligned (no gigabyte copies), else a copy
    const W = raw.byteOffset % 4 === 0 ? new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4) : new Float32Array(raw.slice().buffer);
    if (f.kind === 'nbits') {
      const q = quantizeRtn(W, t.K, t.N, { bits: f.bits, granularity: NBITS_BLOCK });
      emitMatMulNBits(model, t, packMatMulNBits(q, NBITS_BLOCK), f.accuracyLevel);
    } else {
      const q = quantizeWeightInt8(W, t.K, t.N, 'channel');
      const { nodes } = emitW8A8(model, t, matMulIntegerWeights({ K: t.K, N: t.N, ...q, weightZeroPoints: new Int8Array(t.N) }), int8);
      replaceNode(model, t.node, nodes);
    }
  }
  dropUnusedInitializers(model);
  return model;
}

/** A copy of a MatMulNBits model with every node's accuracy_level set to `level` (no re-quantizing). */
export function withAccuracyLevel(model: OnnxModel, level: number): OnnxModel {
  const copy = cloneSharingWeights(model);
  for (const node of copy.graph?.node ?? []) {
    if (node.op_type !== 'MatMulNBits') continue;
    node.attribute = (node.attribute ?? []).map((a) => (a.name === 'accuracy_level' ? { ...a, i: level } : a));
  }
  return copy;
}

/** Bytes of all initializers (the file size, less protobuf framing). */
export function weightBytes(model: OnnxModel): number {
  return (model.graph?.initializer ?? []).reduce((sum, t) => sum + (t.raw_data?.byteLength ?? 0), 0);
}
