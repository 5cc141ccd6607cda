/**
 * Runs one kernel over every target MatMul and says what each weight becomes: a dense
 * fp32 matrix (simulated quantization, pruning), MatMulNBits codes, or W8A8 int8 weights,
 * plus the input scalings (AWQ, SmoothQuant) that must be folded upstream. The weights are
 * cut into units (compress-unit.ts) that run on a pool (layer-pool.ts): inline, or up to
 * `pool.workers` at once on worker threads, with the same result. The graph is edited by
 * surgery.ts.
 */
import type { MatMulIntegerWeights, MatMulNBitsTensors, ParamValue } from '../../kernels/index.js';
import type { Activations } from './capture.js';
import type { LayerMethod, LayerStats, UnitResult, UnitTask } from './compress-unit.js';
import type { LayerPool } from './layer-pool.js';
import type { TargetMatMul } from './model-graph.js';
import type { ExecutionForm } from './spec.js';

export { AWQ_SEARCH_SAMPLE, type LayerStats } from './compress-unit.js';

/** What one weight becomes. */
export type WeightOutcome =
  | { readonly kind: 'dense'; readonly target: TargetMatMul; readonly weight: Float32Array }
  | { readonly kind: 'nbits'; readonly target: TargetMatMul; readonly packed: MatMulNBitsTensors }
  | { readonly kind: 'w8a8'; readonly target: TargetMatMul; readonly weights: MatMulIntegerWeights };

/** X' = X / s must reach these MatMuls (fold 1/s into the op producing `input`). */
export interface InputScaling {
  readonly input: string;
  readonly targets: readonly TargetMatMul[];
  /** s (K,). */
  readonly s: Float32Array;
}

/** Everything a method produced. */
export interface MethodResult {
  readonly outcomes: WeightOutcome[];
  readonly scalings: InputScaling[];
  readonly layers: LayerStats[];
}

/** Weights by initializer name, activations by input tensor name (only for calibrated methods). */
export interface MethodInputs {
  readonly targets: readonly TargetMatMul[];
  /** A Map, or a lookup reading each weight when asked (then nothing holds all weights at once). */
  readonly weights: { get(name: string): Float32Array | undefined };
  readonly activations?: Activations;
  /** Called once per target when its outcome is final and its source weight is no longer read. */
  readonly done?: (t: TargetMatMul) => void;
}

/** Targets grouped by the input tensor they read, in graph order. */
export function groupByInput(targets: readonly TargetMatMul[]): TargetMatMul[][] {
  const map = new Map<string, TargetMatMul[]>();
  for (const t of targets) map.set(t.input, [...(map.get(t.input) ?? []), t]);
  return [...map.values()];
}

/** The units of `method`: one per target, or one per input group for AWQ and SmoothQuant. */
export function unitsOf(method: LayerMethod, targets: readonly TargetMatMul[]): TargetMatMul[][] {
  return method === 'awq' || method === 'smoothquant' ? groupByInput(targets) : targets.map((t) => [t]);
}

/** X of a unit: the spill file when a worker will read it, else the floats (a copy for a worker). */
function unitX(inputs: MethodInputs, input: string, pool: LayerPool): UnitTask['X'] {
  const a = inputs.activations;
  if (!a) return undefined;
  const file = pool.remote ? a.file?.(input) : undefined;
  if (file) return file;
  const x = a.get(input)?.data;
  return x && pool.remote ? x.slice() : x;
}

/**
 * Applies `method` (validated `params`) to every target in the given form (not structured:
 * see structured-surgery.ts; not kv-cache: see kv-cache-variant.ts). Units are submitted in
 * graph order with at most `pool.workers` in flight (each holds its weights and X), and the
 * results are assembled, and `done` called, in graph order, whatever order they finished in.
 */
export async function applyMethod(
  method: LayerMethod, params: Readonly<Record<string, ParamValue>>, form: ExecutionForm, inputs: MethodInputs, pool: LayerPool,
): Promise<MethodResult> {
  const units = unitsOf(method, inputs.targets);
  const results: UnitResult[] = new Array(units.length);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let reported = 0;
  const calibrated = method !== 'rtn' && method !== 'nf4' && method !== 'magnitude' && !(method === 'nm' && params.score === 'magnitude');
  for (let u = 0; u < units.length && !failure; u++) {
    const group = units[u];
    const task: UnitTask = {
      method, params, form,
      shapes: group.map((t) => ({ weight: t.weight, K: t.K, N: t.N })),
      weights: group.map((t) => inputs.weights.get(t.weight)!),
      ...(calibrated ? { X: unitX(inputs, group[0].input, pool) } : {}),
    };
    // A failed unit stops new submissions; the ones in flight finish before the error is thrown.
    const p: Promise<void> = pool.run(task).then((r) => {
      results[u] = r;
      // done() in graph order (progress lines and freeing do not depend on which worker finished first).
      for (; reported < units.length && results[reported]; reported++) units[reported].forEach((t) => inputs.done?.(t));
    }, (error: unknown) => {
      failure ??= { error };
    }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= pool.workers) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  const outcomes: WeightOutcome[] = [];
  const scalings: InputScaling[] = [];
  const layers: LayerStats[] = [];
  units.forEach((group, u) => {
    const r = results[u];
    group.forEach((t, i) => outcomes.push({ ...r.outcomes[i], target: t } as WeightOutcome));
    layers.push(...r.layers);
    if (r.scaling) scalings.push({ input: group[0].input, targets: group, s: r.scaling });
  });
  return { outcomes, scalings, layers };
}
