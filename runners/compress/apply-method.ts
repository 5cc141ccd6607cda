/**
 * Runs one kernel over every target MatMul and says what each weight becomes: a dense
 * fp32 matrix (simulated quantization, pruning), MatMulNBits codes, or W8A8 int8 weights,
 * plus the input scalings (AWQ, SmoothQuant) that must be folded upstream. Pure data in,
 * plain data out; the graph is edited by surgery.ts.
 */
import {
  matMulIntegerWeights, packMatMulNBits, pruneMagnitude, pruneNm, quantizeNf4, quantizeRtn, smoothQuant, weightErrorStats,
  type ErrorStats, type MatMulIntegerWeights, type MatMulNBitsTensors, type MethodId, type ParamValue, type QuantizedMatrix, type SymGrid,
} from '../../kernels/index.js';
import type { Activations } from './capture.js';
import { concatColumns, sliceColumns, sliceQuantized } from './columns.js';
import type { TargetMatMul } from './model-graph.js';
import { nbitsBlockSize, type ExecutionForm } from './spec.js';
import type { CalibratedKernels } from './fast/kernel-set.js';

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

/** Per-layer error statistics for compression.json. */
export interface LayerStats extends ErrorStats {
  readonly weight: string;
  readonly K: number;
  readonly N: number;
  /** Fraction of zero weights after pruning. */
  readonly sparsity?: number;
  /** AWQ/SmoothQuant α of the weight's input group. */
  readonly alpha?: number;
  /**
   * 'input-group': outputError is the kernel's for all matrices sharing the input
   * (q|k|v, gate|up), which AWQ and SmoothQuant scale together.
   */
  readonly outputErrorScope?: 'input-group';
}

/**
 * AWQ scores each α on this sample (kernel options; the error is a sum over independent
 * columns, so a column sample is unbiased): keeps the search at a fixed cost per layer.
 */
export const AWQ_SEARCH_SAMPLE = { searchMaxTokens: 128, searchMaxColumns: 256 } as const;

/** Everything a method produced. */
export interface MethodResult {
  readonly outcomes: WeightOutcome[];
  readonly scalings: InputScaling[];
  readonly layers: LayerStats[];
}

type Params = Readonly<Record<string, ParamValue>>;
type Granular = 'channel' | number;

/** Weights by initializer name, activations by input tensor name (only for calibrated methods). */
export interface MethodInputs {
  readonly targets: readonly TargetMatMul[];
  /** A Map, or a lookup reading each weight when asked (then nothing holds all weights at once). */
  readonly weights: { get(name: string): Float32Array | undefined };
  readonly activations?: Activations;
  /** Called once per target when its outcome is final and its source weight is no longer read. */
  readonly done?: (t: TargetMatMul) => void;
}

/**
 * The MatMulNBits form of `q`, packed now: the outcome then holds the packed bytes, not
 * the fp32 dequantized copy, so finished layers cost 1/8 of their fp32 size.
 */
function nbitsOutcome(t: TargetMatMul, q: QuantizedMatrix): WeightOutcome {
  return { kind: 'nbits', target: t, packed: packMatMulNBits(q, nbitsBlockSize(q.granularity, t.K) ?? q.groupSize) };
}

function xOf(inputs: MethodInputs, t: TargetMatMul): Float32Array {
  const x = inputs.activations?.get(t.input);
  if (!x) throw new Error(`no calibration activations captured for ${t.input}`);
  return x.data;
}

function stat(t: TargetMatMul, s: ErrorStats, extra: { sparsity?: number; alpha?: number; outputErrorScope?: 'input-group' } = {}): LayerStats {
  return { weight: t.weight, K: t.K, N: t.N, ...s, ...extra };
}

/**
 * Applies `method` (validated `params`) to every target in the given form (not structured:
 * see structured-surgery.ts; not kv-cache: see kv-cache-variant.ts); GPTQ, AWQ and Wanda
 * run on `kernels` (fast or reference), one layer after another.
 */
export async function applyMethod(
  method: Exclude<MethodId, 'structured' | 'kv-cache' | 'gguf'>, params: Params, form: ExecutionForm, inputs: MethodInputs, kernels: CalibratedKernels,
): Promise<MethodResult> {
  if (method === 'awq' || method === 'smoothquant') return applyGrouped(method, params, form, inputs, kernels);
  const outcomes: WeightOutcome[] = [];
  const layers: LayerStats[] = [];
  for (const t of inputs.targets) {
    const W = inputs.weights.get(t.weight)!;
    const { K, N } = t;
    switch (method) {
      case 'rtn': {
        const q = quantizeRtn(W, K, N, { bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, granularity: params.group as 'tensor' | Granular });
        outcomes.push(form === 'packed' ? nbitsOutcome(t, q) : { kind: 'dense', target: t, weight: q.dequantized });
        layers.push(stat(t, q.stats));
        break;
      }
      case 'gptq': {
        const q = await kernels.gptq(W, K, N, xOf(inputs, t), {
          bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, group: params.group as Granular,
          damp: params.damp as number, blockSize: params.blockSize as number, actOrder: params.actOrder as boolean, staticGroups: params.staticGroups as boolean,
        });
        outcomes.push(form === 'packed' ? nbitsOutcome(t, q) : { kind: 'dense', target: t, weight: q.dequantized });
        layers.push(stat(t, q.stats));
        break;
      }
      case 'nf4': {
        const q = quantizeNf4(W, K, N, { blockSize: params.blockSize as number, doubleQuant: params.doubleQuant as boolean });
        outcomes.push({ kind: 'dense', target: t, weight: q.dequantized });
        layers.push(stat(t, q.stats));
        break;
      }
      case 'magnitude':
      case 'wanda':
      case 'nm': {
        const r = method === 'magnitude' ? pruneMagnitude(W, K, N, params.sparsity as number)
          : method === 'wanda' ? await kernels.wanda(W, K, N, xOf(inputs, t), params.sparsity as number)
            : pruneNm(W, K, N, params.n as number, params.m as number, params.score === 'magnitude' ? undefined : xOf(inputs, t));
        outcomes.push({ kind: 'dense', target: t, weight: r.pruned });
        layers.push(stat(t, r.stats, { sparsity: r.sparsity }));
        break;
      }
    }
    inputs.done?.(t);
  }
  return { outcomes, scalings: [], layers };
}

/** Targets grouped by the input tensor they read, in graph order. */
export function groupByInput(targets: readonly TargetMatMul[]): TargetMatMul[][] {
  const map = new Map<string, TargetMatMul[]>();
  for (const t of targets) map.set(t.input, [...(map.get(t.input) ?? []), t]);
  return [...map.values()];
}

/**
 * AWQ / SmoothQuant: one input scale s per input tensor, searched on the concatenation of
 * the matrices reading it (q|k|v, gate|up), as the references do for a shared norm.
 */
async function applyGrouped(method: 'awq' | 'smoothquant', params: Params, form: ExecutionForm, inputs: MethodInputs, kernels: CalibratedKernels): Promise<MethodResult> {
  const outcomes: WeightOutcome[] = [];
  const scalings: InputScaling[] = [];
  const layers: LayerStats[] = [];
  for (const group of groupByInput(inputs.targets)) {
    const K = group[0].K;
    const X = xOf(inputs, group[0]);
    const { W, N, ranges } = concatColumns(group.map((t) => inputs.weights.get(t.weight)!), K, group.map((t) => t.N));
    if (method === 'awq') {
      const r = await kernels.awq(W, K, N, X, {
        bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, group: params.group as Granular, gridPoints: params.gridPoints as number,
        ...AWQ_SEARCH_SAMPLE,
      });
      group.forEach((t, i) => {
        const [c0, c1] = ranges[i];
        const effective = sliceColumns(r.effectiveWeight, K, N, c0, c1);
        outcomes.push(form === 'packed' ? nbitsOutcome(t, sliceQuantized(r, c0, c1)) : { kind: 'dense', target: t, weight: effective });
        layers.push(stat(t, { ...weightErrorStats(inputs.weights.get(t.weight)!, effective), outputError: r.stats.outputError }, { alpha: r.alpha, outputErrorScope: 'input-group' }));
      });
      if (form === 'packed') scalings.push({ input: group[0].input, targets: group, s: r.channelScales });
      group.forEach((t) => inputs.done?.(t));
    } else {
      const r = smoothQuant(W, K, N, X, { alpha: params.alpha as number, weightGranularity: params.weightGranularity as 'channel' | 'tensor' });
      group.forEach((t, i) => {
        const [c0, c1] = ranges[i];
        const effective = sliceColumns(r.effectiveWeight, K, N, c0, c1);
        const perColumn = r.weightGranularity === 'channel';
        const weights = matMulIntegerWeights({
          K, N: t.N, weightInt8: sliceColumns(r.weightInt8, K, N, c0, c1),
          weightScales: perColumn ? r.weightScales.slice(c0, c1) : r.weightScales,
          weightZeroPoints: new Int8Array(perColumn ? t.N : 1),
        });
        outcomes.push(form === 'packed' ? { kind: 'w8a8', target: t, weights } : { kind: 'dense', target: t, weight: effective });
        layers.push(stat(t, { ...weightErrorStats(inputs.weights.get(t.weight)!, effective), outputError: r.stats.outputError }, { alpha: r.alpha, outputErrorScope: 'input-group' }));
      });
      if (form === 'packed') scalings.push({ input: group[0].input, targets: group, s: r.smoothingFactors });
      group.forEach((t) => inputs.done?.(t));
    }
  }
  return { outcomes, scalings, layers };
}

