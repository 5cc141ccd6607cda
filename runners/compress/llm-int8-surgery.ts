/**
 * LLM.int8() in the graph. Packed, per weight with outlier features O:
 *   x_reg = Mul(X, mask)                    // mask (K,): 0 on O, 1 elsewhere
 *   y_int8 = MatMulNBits(x_reg, 8-bit codes) // per-column absmax grid; outlier rows = zero point
 *   x_out = Gather(X, O, axis −1)           // (…,|O|)
 *   y = Add(y_int8, MatMul(x_out, W_O))     // W_O (|O|,N) fp32
 * Without outliers the weight is one MatMulNBits. Simulated: Ŵ (int8 rows dequantized,
 * outlier rows fp32) replaces W in a plain MatMul.
 */
import { packMatMulNBits, quantizeLlmInt8 } from '../../kernels/index.js';
import type { LayerStats } from './apply-method.js';
import type { Activations } from './capture.js';
import { emitMatMulNBits, intAttribute, replaceNode, type NBitsOpRecord } from './emit-ops.js';
import { dropUnusedInitializers, floatTensor, int64Tensor, putInitializer, type SurgeryModel, type TargetMatMul } from './model-graph.js';
import { nbitsBlockSize, type ExecutionForm } from './spec.js';

/** Tokens on which each layer's error with int8 activations is measured (the weight-only error uses all). */
export const LLM_INT8_ERROR_TOKENS = 256;

/** Outlier features of one weight, for compression.json. */
export interface LlmInt8LayerRecord {
  readonly weight: string;
  readonly K: number;
  /** |O|: input features kept fp32. */
  readonly outliers: number;
  /** The features themselves (indices along K). */
  readonly outlierFeatures: number[];
  /** ‖XW − LLM.int8(X)‖²/‖XW‖² with per-token int8 activations, on the first LLM_INT8_ERROR_TOKENS calibration tokens. */
  readonly activationOutputError: number;
}

/** What {@link applyLlmInt8} did. */
export interface LlmInt8Result {
  readonly layers: LayerStats[];
  readonly ops: NBitsOpRecord[];
  readonly perLayer: LlmInt8LayerRecord[];
}

/** Rewrites every target of `m.model` in place. */
export function applyLlmInt8(
  m: SurgeryModel, targets: readonly TargetMatMul[], weights: ReadonlyMap<string, Float32Array>, acts: Activations,
  threshold: number, form: ExecutionForm, accuracyLevel: number,
): LlmInt8Result {
  const layers: LayerStats[] = [];
  const ops: NBitsOpRecord[] = [];
  const perLayer: LlmInt8LayerRecord[] = [];
  for (const t of targets) {
    const x = acts.get(t.input);
    if (!x) throw new Error(`no calibration activations captured for ${t.input}`);
    const r = quantizeLlmInt8(weights.get(t.weight)!, t.K, t.N, x.data, { threshold, errorTokens: LLM_INT8_ERROR_TOKENS });
    const { activationOutputError, ...stats } = r.stats;
    layers.push({ weight: t.weight, K: t.K, N: t.N, ...stats });
    perLayer.push({ weight: t.weight, K: t.K, outliers: r.outliers.length, outlierFeatures: [...r.outliers], activationOutputError });
    if (form === 'simulated') {
      putInitializer(m.model, floatTensor(t.weight, [t.K, t.N], r.effectiveWeight));
      continue;
    }
    const X = t.node.input![0];
    const y = t.node.output![0];
    const p = (s: string): string => `${t.weight}.llm_int8.${s}`;
    if (r.outliers.length > 0) {
      t.node.input![0] = p('x_regular');
      t.node.output = [p('y_int8')];
    }
    ops.push(emitMatMulNBits(m.model, t, packMatMulNBits(r.quantized, nbitsBlockSize('channel', t.K)!), accuracyLevel));
    if (r.outliers.length === 0) continue;
    const isOutlier = new Set(r.outliers);
    putInitializer(m.model, floatTensor(p('regular_mask'), [t.K], Float32Array.from({ length: t.K }, (_, k) => (isOutlier.has(k) ? 0 : 1))));
    putInitializer(m.model, int64Tensor(p('outlier_index'), [...r.outliers]));
    putInitializer(m.model, floatTensor(p('outlier_weight'), [r.outliers.length, t.N], r.outlierWeight));
    const name = t.node.name ?? t.weight;
    replaceNode(m.model, t.node, [
      { name: `${name}/RegularFeatures`, op_type: 'Mul', input: [X, p('regular_mask')], output: [p('x_regular')] },
      t.node,
      { name: `${name}/OutlierFeatures`, op_type: 'Gather', input: [X, p('outlier_index')], output: [p('x_outlier')], attribute: [intAttribute('axis', -1)] },
      { name: `${name}/OutlierMatMul`, op_type: 'MatMul', input: [p('x_outlier'), p('outlier_weight')], output: [p('y_outlier')] },
      { name: `${name}/Sum`, op_type: 'Add', input: [p('y_int8'), p('y_outlier')], output: [y] },
    ]);
  }
  dropUnusedInitializers(m.model);
  return { layers, ops: [...new Map(ops.map((o) => [JSON.stringify(o), o])).values()], perLayer };
}
