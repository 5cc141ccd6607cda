/**
 * Writes a method's result into the graph: dense weights replace their initializers,
 * packed weights turn their MatMuls into MatMulNBits or the W8A8 chain, and input scales
 * are folded into the preceding RMSNorm weight or applied by an inserted Mul.
 */
import type { OnnxModel, OnnxNode } from '../formats/onnx/onnx-types.js';
import type { InputScaling, WeightOutcome } from './apply-method.js';
import type { Int8FormChoice } from './int8-form.js';
import { emitMatMulNBits, emitW8A8, insertBefore, replaceNode, type NBitsOpRecord, type W8A8OpRecord } from './emit-ops.js';
import { consumers, dimsOf, dropUnusedInitializers, floatTensor, initializerMap, producers, putInitializer, weightValues, type SurgeryModel } from './model-graph.js';

/** How one input scaling was realised. */
export interface ScalingRecord {
  readonly input: string;
  /** `norm-weight`: 1/s multiplied into the RMSNorm weight; `mul`: a Mul node inserted. */
  readonly foldedInto: 'norm-weight' | 'mul';
  /** The new norm weight initializer or the inserted node. */
  readonly name: string;
  readonly weights: readonly string[];
}

/** The ORT ops a packed variant uses. */
export type OpRecord = NBitsOpRecord | W8A8OpRecord;

/**
 * Applies scalings, then outcomes, to `m.model` in place (scalings first: they rewire the
 * MatMuls' inputs, which the packed ops then read); returns what was used.
 */
export function applySurgery(
  m: SurgeryModel, outcomes: readonly WeightOutcome[], scalings: readonly InputScaling[], accuracyLevel: number, int8: Int8FormChoice,
): { ops: OpRecord[]; scalings: ScalingRecord[] } {
  const model = m.model;
  const records = scalings.map((s) => applyInputScaling(model, s, (name) => weightValues(m, name)));
  const ops: OpRecord[] = [];
  for (const o of outcomes) {
    const t = o.target;
    if (o.kind === 'dense') {
      putInitializer(model, floatTensor(t.weight, [t.K, t.N], o.weight));
    } else if (o.kind === 'nbits') {
      ops.push(emitMatMulNBits(model, t, o.packed, accuracyLevel));
    } else {
      const { nodes, record } = emitW8A8(model, t, o.weights, int8);
      replaceNode(model, t.node, nodes);
      ops.push(record);
    }
  }
  dropUnusedInitializers(model);
  return { ops: dedupe(ops), scalings: records };
}

/**
 * X' = X/s for the group's MatMuls (call before their MatMuls are rewritten). When
 * `input` is made by a Mul with a 1-D fp32 initializer of length K (an RMSNorm weight γ)
 * and only the group reads it, γ' = γ/s under a new name; otherwise a Mul by 1/s is
 * inserted before the first MatMul of the group, which then reads the scaled tensor.
 */
export function applyInputScaling(model: OnnxModel, sc: InputScaling, valuesOf: (name: string) => Float32Array): ScalingRecord {
  const K = sc.s.length;
  const inits = initializerMap(model);
  const producer = producers(model).get(sc.input);
  const readers = consumers(model).get(sc.input) ?? [];
  const isGroup = (n: OnnxNode): boolean => sc.targets.some((t) => t.node === n);
  // Shape readers see only the shape, which scaling keeps.
  const shapeOnly = (n: OnnxNode): boolean => n.op_type === 'Shape';
  const weights = sc.targets.map((t) => t.weight);
  if (producer && producer.op_type === 'Mul' && readers.every((n) => isGroup(n) || shapeOnly(n))) {
    const idx = (producer.input ?? []).findIndex((i) => {
      const t = inits.get(i);
      return t !== undefined && t.data_type === 1 && dimsOf(t).length === 1 && dimsOf(t)[0] === K;
    });
    if (idx >= 0) {
      const gammaName = producer.input![idx];
      const gamma = valuesOf(gammaName);
      const name = `${gammaName}.scaled.${sc.targets[0].weight}`;
      putInitializer(model, floatTensor(name, [K], Float32Array.from(gamma, (g, k) => g / sc.s[k])));
      producer.input![idx] = name;
      return { input: sc.input, foldedInto: 'norm-weight', name, weights };
    }
  }
  const inv = `${sc.input}.inv_scale`;
  const scaled = `${sc.input}.scaled`;
  putInitializer(model, floatTensor(inv, [K], Float32Array.from(sc.s, (v) => 1 / v)));
  const first = (model.graph!.node ?? []).find(isGroup)!;
  const name = `${sc.input}/InputScale`;
  insertBefore(model, first, { name, op_type: 'Mul', input: [sc.input, inv], output: [scaled] });
  for (const t of sc.targets) t.node.input = (t.node.input ?? []).map((i) => (i === sc.input ? scaled : i));
  return { input: sc.input, foldedInto: 'mul', name, weights };
}

function dedupe(ops: OpRecord[]): OpRecord[] {
  const seen = new Map<string, OpRecord>();
  for (const o of ops) seen.set(JSON.stringify(o), o);
  return [...seen.values()];
}
