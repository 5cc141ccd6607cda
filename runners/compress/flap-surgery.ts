/**
 * FLAP on a LLaMA-style graph (kernels/flap.ts): fluctuation scores of every layer's FFN
 * channels from the down projection's calibration input, one global ranking of the
 * standardized scores, then per layer either smaller gate/up/down matrices (packed) or the
 * removed channels zeroed in full-size matrices (simulated: the twin), and in both forms the
 * compensation bias as an Add after the down projection:
 *   y = MatMul(h_kept, W_down_kept) + b      // b (hidden,) = Σ_removed x̄_j W_down[j,:]
 */
import { InputError } from '../../core/errors.js';
import { allocateGlobally, channelFluctuation, pruneFlapLayer, standardize, type FfnWeights } from '../../kernels/index.js';
import type { OnnxModel, OnnxNode } from '../formats/onnx/onnx-types.js';
import type { LayerStats } from './apply-method.js';
import type { Activations } from './capture.js';
import { replaceNode } from './emit-ops.js';
import { dropUnusedInitializers, floatTensor, producers, putInitializer, type SurgeryModel, type TargetMatMul } from './model-graph.js';
import { keepBiasFeatures, projectionOutput } from './projection-bias.js';
import type { ExecutionForm } from './spec.js';
import { byLayer, need, zeroExcept } from './structured-surgery.js';

/** What FLAP kept in one layer, for compression.json. */
export interface FlapLayerRecord {
  readonly layer: number;
  readonly keptChannels: number;
  readonly intermediate: number;
  /** ‖b‖₂ of the compensation bias. */
  readonly biasNorm: number;
  /** Down projection output error with the bias on the calibration input. */
  readonly downOutputError: number;
}

/** What {@link applyFlap} did. */
export interface FlapResult {
  readonly layers: LayerStats[];
  readonly perLayer: FlapLayerRecord[];
}

/** Prunes FFN channels by FLAP; mutates `m.model`. */
export function applyFlap(
  m: SurgeryModel, targets: readonly TargetMatMul[], weights: ReadonlyMap<string, Float32Array>, acts: Activations, ratio: number, form: ExecutionForm,
): FlapResult {
  const found = [...byLayer(targets)].sort((a, b) => a[0] - b[0]);
  if (found.length === 0) throw new InputError(`flap: no weights or MatMul nodes named like model.layers.N.mlp.gate_proj / up_proj / down_proj in ${m.onnxPath}`);
  const units = found.map(([layer, roles]) => {
    const [gate, up, down] = need(roles, ['gate', 'up', 'down'], layer, 'flap');
    const X = acts.get(down.input);
    if (!X) throw new Error(`no calibration activations captured for ${down.input}`);
    const w: FfnWeights = { gate: weights.get(gate.weight)!, up: weights.get(up.weight)!, down: weights.get(down.weight)!, hidden: gate.K, intermediate: gate.N };
    return { layer, gate, up, down, X: X.data, w, stats: channelFluctuation(X.data, down.K, w.down, down.N) };
  });
  const kept = allocateGlobally(units.map((u) => standardize(u.stats.fluctuation)), ratio);
  const layers: LayerStats[] = [];
  const perLayer: FlapLayerRecord[] = [];
  units.forEach((u, i) => {
    const r = pruneFlapLayer(u.w, u.X, u.stats, kept[i]);
    const { gate, up, down, w } = u;
    const F = kept[i].length;
    if (form === 'packed') {
      putInitializer(m.model, floatTensor(gate.weight, [gate.K, F], r.shrunk.gate));
      putInitializer(m.model, floatTensor(up.weight, [up.K, F], r.shrunk.up));
      putInitializer(m.model, floatTensor(down.weight, [F, down.N], r.shrunk.down));
      for (const t of [gate, up]) keepBiasFeatures(m, t.node, t.N, kept[i]);
    } else {
      putInitializer(m.model, floatTensor(gate.weight, [gate.K, gate.N], zeroExcept(w.gate, gate.K, gate.N, 'columns', kept[i])));
      putInitializer(m.model, floatTensor(up.weight, [up.K, up.N], zeroExcept(w.up, up.K, up.N, 'columns', kept[i])));
      putInitializer(m.model, floatTensor(down.weight, [down.K, down.N], zeroExcept(w.down, down.K, down.N, 'rows', kept[i])));
    }
    addBias(m.model, down.node, down.N, `${down.weight}.flap_bias`, r.bias);
    layers.push({ weight: gate.weight, K: gate.K, N: gate.N, ...r.stats.gate });
    layers.push({ weight: up.weight, K: up.K, N: up.N, ...r.stats.up });
    layers.push({ weight: down.weight, K: down.K, N: down.N, ...r.stats.down, outputError: r.downOutputError });
    perLayer.push({ layer: u.layer, keptChannels: F, intermediate: w.intermediate, biasNorm: Math.hypot(...r.bias), downOutputError: r.downOutputError });
  });
  // Inferred intermediate shapes (optional annotations) would now contradict the smaller matrices.
  if (form === 'packed') (m.model.graph as { value_info?: unknown[] }).value_info = [];
  dropUnusedInitializers(m.model);
  return { layers, perLayer };
}

/** Adds `bias` to the projection's output (after its own bias Add when it has one). */
function addBias(model: OnnxModel, node: OnnxNode, N: number, name: string, bias: Float32Array): void {
  const out = projectionOutput(model, node, N);
  const producer = producers(model).get(out)!;
  const before = `${out}.uncompensated`;
  producer.output = (producer.output ?? []).map((o) => (o === out ? before : o));
  putInitializer(model, floatTensor(name, [N], bias));
  replaceNode(model, producer, [producer, { name: `${node.name ?? name}/FlapBias`, op_type: 'Add', input: [before, name], output: [out] }]);
}
