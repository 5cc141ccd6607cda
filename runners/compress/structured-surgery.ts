/**
 * Structured pruning on a LLaMA-style graph: per layer, find q/k/v/o and gate/up/down by
 * their initializer names, rank heads / FFN channels with the kernels' importance
 * (calibration norms), then either shrink the matrices and rewrite the head reshapes and
 * config.json (packed) or zero the removed columns/rows in full-size matrices (simulated:
 * the same function, for the twin test). The same number is removed in every layer, so
 * config.json can state the new sizes.
 */
import { InputError } from '../../core/errors.js';
import {
  columnNorms, headFeatures, pruneAttentionHeads, pruneFfnChannels,
  type AttentionWeights, type FfnWeights, type WeightErrorStats,
} from '../../kernels/index.js';
import type { LayerStats } from './apply-method.js';
import type { Activations } from './capture.js';
import { rewriteHeadShapes, rewriteKvShapes } from './head-reshapes.js';
import { keepBiasFeatures } from './projection-bias.js';
import { dropUnusedInitializers, floatTensor, putInitializer, type SurgeryModel, type TargetMatMul } from './model-graph.js';
import type { ExecutionForm } from './spec.js';

/** Head geometry from config.json. */
export interface HeadConfig {
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/** What structured pruning kept, per layer. */
export interface StructuredLayerRecord {
  readonly layer: number;
  readonly keptHeads?: number[];
  readonly keptKvHeads?: number[];
  readonly keptChannels?: number;
  readonly removedImportanceFraction: { readonly heads?: number; readonly ffn?: number };
}

/** Result of structured pruning. */
export interface StructuredResult {
  readonly layers: LayerStats[];
  readonly perLayer: StructuredLayerRecord[];
  /** config.json fields to overwrite (packed only). */
  readonly configPatch: Record<string, number>;
}

/** A projection's role in its weight name (model.layers.0.self_attn.q_proj.weight) or, for optimum's onnx::MatMul_<n> weights, its node name (/model/layers.0/self_attn/q_proj/MatMul). */
const ROLE = /layers\.(\d+)[./](self_attn[./](q|k|v|o)_proj|mlp[./](gate|up|down)_proj)\b/u;

/** Targets by layer index and role (q, k, v, o, gate, up, down). */
export function byLayer(targets: readonly TargetMatMul[]): Map<number, Map<string, TargetMatMul>> {
  const out = new Map<number, Map<string, TargetMatMul>>();
  for (const t of targets) {
    const m = ROLE.exec(t.weight) ?? ROLE.exec(t.node.name ?? '');
    if (!m) continue;
    const layer = Number(m[1]);
    if (!out.has(layer)) out.set(layer, new Map());
    out.get(layer)!.set(m[3] ?? m[4], t);
  }
  return out;
}

/** Prunes heads and/or FFN channels; mutates `m.model`. */
export function applyStructured(
  m: SurgeryModel, targets: readonly TargetMatMul[], weights: ReadonlyMap<string, Float32Array>, acts: Activations,
  params: { ratio: number; target: string }, heads: HeadConfig, form: ExecutionForm,
): StructuredResult {
  const layers: LayerStats[] = [];
  const perLayer: StructuredLayerRecord[] = [];
  const configPatch: Record<string, number> = {};
  const norms = (t: TargetMatMul): Float64Array => {
    const x = acts.get(t.input)!;
    return columnNorms(x.data, x.T, x.K);
  };
  const put = (t: TargetMatMul, W: Float32Array, K: number, N: number, s: WeightErrorStats): void => {
    putInitializer(m.model, floatTensor(t.weight, [K, N], W));
    layers.push({ weight: t.weight, K: t.K, N: t.N, ...s });
  };
  const found = byLayer(targets);
  if (found.size === 0) throw new InputError(`structured: no weights or MatMul nodes named like model.layers.N.self_attn.q_proj / mlp.gate_proj in ${m.onnxPath}`);
  for (const [layer, roles] of [...found].sort((a, b) => a[0] - b[0])) {
    const rec: { layer: number; keptHeads?: number[]; keptKvHeads?: number[]; keptChannels?: number; removedImportanceFraction: { heads?: number; ffn?: number } } = { layer, removedImportanceFraction: {} };
    if (params.target !== 'ffn') {
      const [q, k, v, o] = need(roles, ['q', 'k', 'v', 'o'], layer);
      const w: AttentionWeights = {
        q: weights.get(q.weight)!, k: weights.get(k.weight)!, v: weights.get(v.weight)!, o: weights.get(o.weight)!,
        hidden: q.K, numHeads: heads.numHeads, numKvHeads: heads.numKvHeads, headDim: heads.headDim,
      };
      if (q.N !== heads.numHeads * heads.headDim || k.N !== heads.numKvHeads * heads.headDim) {
        throw new InputError(`structured: ${q.weight} is [${q.K}, ${q.N}] but config.json says ${heads.numHeads} heads × ${heads.headDim}; fix config.json`);
      }
      const r = pruneAttentionHeads(w, params.ratio, { input: norms(q), oInput: norms(o) });
      const d = heads.headDim;
      if (form === 'packed') {
        put(q, r.shrunk.q, q.K, r.keptHeads.length * d, r.stats.q);
        put(k, r.shrunk.k, k.K, r.keptKvHeads.length * d, r.stats.k);
        put(v, r.shrunk.v, v.K, r.keptKvHeads.length * d, r.stats.v);
        put(o, r.shrunk.o, r.keptHeads.length * d, o.N, r.stats.o);
        rewriteHeadShapes(m.model, { q: q.node, k: k.node, v: v.node, o: o.node, weightName: q.weight }, { heads: heads.numHeads, kvHeads: heads.numKvHeads, headDim: d }, { heads: r.keptHeads.length, kvHeads: r.keptKvHeads.length });
        // after the reshapes: they find the bias Add by the bias' full width
        keepBiasFeatures(m, q.node, q.N, headFeatures(r.keptHeads, d));
        for (const t of [k, v]) keepBiasFeatures(m, t.node, t.N, headFeatures(r.keptKvHeads, d));
        Object.assign(configPatch, { num_attention_heads: r.keptHeads.length, num_key_value_heads: r.keptKvHeads.length, head_dim: d });
      } else {
        const qCols = headFeatures(r.keptHeads, d);
        const kvCols = headFeatures(r.keptKvHeads, d);
        put(q, zeroExcept(w.q, q.K, q.N, 'columns', qCols), q.K, q.N, r.stats.q);
        put(k, zeroExcept(w.k, k.K, k.N, 'columns', kvCols), k.K, k.N, r.stats.k);
        put(v, zeroExcept(w.v, v.K, v.N, 'columns', kvCols), v.K, v.N, r.stats.v);
        put(o, zeroExcept(w.o, o.K, o.N, 'rows', qCols), o.K, o.N, r.stats.o);
      }
      rec.keptHeads = [...r.keptHeads];
      rec.keptKvHeads = [...r.keptKvHeads];
      rec.removedImportanceFraction.heads = r.removedScoreFraction;
    }
    if (params.target !== 'heads') {
      const [gate, up, down] = need(roles, ['gate', 'up', 'down'], layer);
      const w: FfnWeights = { gate: weights.get(gate.weight)!, up: weights.get(up.weight)!, down: weights.get(down.weight)!, hidden: gate.K, intermediate: gate.N };
      const r = pruneFfnChannels(w, params.ratio, { input: norms(gate), intermediate: norms(down) });
      const F = r.kept.length;
      if (form === 'packed') {
        put(gate, r.shrunk.gate, gate.K, F, r.stats.gate);
        put(up, r.shrunk.up, up.K, F, r.stats.up);
        put(down, r.shrunk.down, F, down.N, r.stats.down);
        for (const t of [gate, up]) keepBiasFeatures(m, t.node, t.N, r.kept);
        configPatch.intermediate_size = F;
      } else {
        put(gate, zeroExcept(w.gate, gate.K, gate.N, 'columns', r.kept), gate.K, gate.N, r.stats.gate);
        put(up, zeroExcept(w.up, up.K, up.N, 'columns', r.kept), up.K, up.N, r.stats.up);
        put(down, zeroExcept(w.down, down.K, down.N, 'rows', r.kept), down.K, down.N, r.stats.down);
      }
      rec.keptChannels = F;
      rec.removedImportanceFraction.ffn = r.removedScoreFraction;
    }
    perLayer.push(rec);
  }
  if (configPatch.num_key_value_heads !== undefined) rewriteKvShapes(m.model, configPatch.num_key_value_heads);
  // Inferred intermediate shapes (optional annotations) would now contradict the smaller matrices.
  if (form === 'packed') (m.model.graph as { value_info?: unknown[] }).value_info = [];
  dropUnusedInitializers(m.model);
  return { layers, perLayer, configPatch };
}

/** The named roles of one layer; InputError naming the first one missing. */
export function need(roles: Map<string, TargetMatMul>, names: string[], layer: number, method = 'structured'): TargetMatMul[] {
  return names.map((r) => {
    const t = roles.get(r);
    if (!t) throw new InputError(`${method}: layer ${layer} has no ${r}_proj MatMul weight; cannot prune it as a unit`);
    return t;
  });
}

/**
 * W with everything outside the kept columns (or rows) set to 0.
 * // W (K,N) -> (K,N)
 */
export function zeroExcept(W: Float32Array, K: number, N: number, axis: 'columns' | 'rows', keep: ArrayLike<number>): Float32Array {
  const kept = new Uint8Array(axis === 'columns' ? N : K);
  for (let i = 0; i < keep.length; i++) kept[keep[i]] = 1;
  const out = new Float32Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) if (kept[axis === 'columns' ? n : k]) out[k * N + n] = W[k * N + n];
  return out;
}
