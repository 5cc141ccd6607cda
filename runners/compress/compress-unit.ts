/**
 * One unit of per-layer compression work: one weight, or (AWQ, SmoothQuant) the weights
 * sharing one input. Plain data in and out (typed arrays, numbers, strings), so a unit runs
 * the same in the main thread or in a worker thread (layer-pool.ts): the codes never depend
 * on where it ran.
 */
import {
  matMulIntegerWeights, packMatMulNBits, pruneMagnitude, pruneNm, quantizeNf4, quantizeRtn, smoothQuant, weightErrorStats,
  type ErrorStats, type MatMulIntegerWeights, type MatMulNBitsTensors, type MethodId, type ParamValue, type QuantizedMatrix, type SymGrid,
} from '../../kernels/index.js';
import { readActivationFile, type ActivationFile } from './activation-file.js';
import { concatColumns, sliceColumns, sliceQuantized } from './columns.js';
import type { CalibratedKernels } from './fast/kernel-set.js';
import { nbitsBlockSize, type ExecutionForm } from './spec.js';

/** The methods that run per weight or per input group (applyMethod's). */
export type LayerMethod = Exclude<MethodId, 'structured' | 'kv-cache' | 'gguf' | 'llm-int8' | 'flap' | 'fairprune'>;

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

/** A weight's name and shape W (K,N). */
export interface WeightShape {
  readonly weight: string;
  readonly K: number;
  readonly N: number;
}

/** What one weight becomes, before it is tied to its graph node. */
export type UnitOutcome =
  | { readonly kind: 'dense'; readonly weight: Float32Array }
  | { readonly kind: 'nbits'; readonly packed: MatMulNBitsTensors }
  | { readonly kind: 'w8a8'; readonly weights: MatMulIntegerWeights };

/** One unit of work. */
export interface UnitTask {
  readonly method: LayerMethod;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly form: ExecutionForm;
  /** One weight, or the group reading one input (AWQ, SmoothQuant). */
  readonly shapes: readonly WeightShape[];
  /** W (K,N) of each shape, in order (moved to a worker, not copied). */
  readonly weights: Float32Array[];
  /** X (T,K) for calibrated methods: the floats, or the spill file to read them from. */
  readonly X?: Float32Array | ActivationFile;
}

/** A unit's result: one outcome and one stats row per shape, and the input scale s (K,) to fold upstream, if any. */
export interface UnitResult {
  readonly outcomes: UnitOutcome[];
  readonly layers: LayerStats[];
  readonly scaling?: Float32Array;
}

type Granular = 'channel' | number;

/** The MatMulNBits form of `q`, packed now: finished layers cost 1/8 of their fp32 size. */
function nbitsOutcome(K: number, q: QuantizedMatrix): UnitOutcome {
  return { kind: 'nbits', packed: packMatMulNBits(q, nbitsBlockSize(q.granularity, K) ?? q.groupSize) };
}

function xOf(task: UnitTask): Float32Array {
  if (!task.X) throw new Error(`no calibration activations captured for ${task.shapes[0].weight}`);
  return task.X instanceof Float32Array ? task.X : readActivationFile(task.X).data;
}

function stat(s: WeightShape, e: ErrorStats, extra: { sparsity?: number; alpha?: number; outputErrorScope?: 'input-group' } = {}): LayerStats {
  return { weight: s.weight, K: s.K, N: s.N, ...e, ...extra };
}

/** Runs one unit on `kernels` (GPTQ, AWQ, Wanda; the rest are scalar). */
export async function compressUnit(task: UnitTask, kernels: CalibratedKernels): Promise<UnitResult> {
  if (task.method === 'awq' || task.method === 'smoothquant') return compressGroup(task, kernels);
  const { params, form } = task;
  const s = task.shapes[0];
  const W = task.weights[0];
  const { K, N } = s;
  const quantized = (q: QuantizedMatrix & { readonly stats: ErrorStats }): UnitResult => ({
    outcomes: [form === 'packed' ? nbitsOutcome(K, q) : { kind: 'dense', weight: q.dequantized }], layers: [stat(s, q.stats)],
  });
  switch (task.method) {
    case 'rtn':
      return quantized(quantizeRtn(W, K, N, { bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, granularity: params.group as 'tensor' | Granular }));
    case 'gptq':
      return quantized(await kernels.gptq(W, K, N, xOf(task), {
        bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, group: params.group as Granular,
        damp: params.damp as number, blockSize: params.blockSize as number, actOrder: params.actOrder as boolean, staticGroups: params.staticGroups as boolean,
      }));
    case 'nf4': {
      const q = quantizeNf4(W, K, N, { blockSize: params.blockSize as number, doubleQuant: params.doubleQuant as boolean });
      return { outcomes: [{ kind: 'dense', weight: q.dequantized }], layers: [stat(s, q.stats)] };
    }
    case 'magnitude':
    case 'wanda':
    case 'nm': {
      const r = task.method === 'magnitude' ? pruneMagnitude(W, K, N, params.sparsity as number)
        : task.method === 'wanda' ? await kernels.wanda(W, K, N, xOf(task), params.sparsity as number)
          : pruneNm(W, K, N, params.n as number, params.m as number, params.score === 'magnitude' ? undefined : xOf(task));
      return { outcomes: [{ kind: 'dense', weight: r.pruned }], layers: [stat(s, r.stats, { sparsity: r.sparsity })] };
    }
  }
}

/**
 * AWQ / SmoothQuant: one input scale s per input tensor, searched on the concatenation of
 * the matrices reading it (q|k|v, gate|up), as the references do for a shared norm.
 */
async function compressGroup(task: UnitTask, kernels: CalibratedKernels): Promise<UnitResult> {
  const { params, form, shapes } = task;
  const K = shapes[0].K;
  const X = xOf(task);
  const { W, N, ranges } = concatColumns(task.weights, K, shapes.map((t) => t.N));
  const outcomes: UnitOutcome[] = [];
  const layers: LayerStats[] = [];
  if (task.method === 'awq') {
    const r = await kernels.awq(W, K, N, X, {
      bits: params.bits as number, symmetric: params.symmetric as boolean, symGrid: params.symGrid as SymGrid, group: params.group as Granular, gridPoints: params.gridPoints as number,
      ...AWQ_SEARCH_SAMPLE,
    });
    shapes.forEach((t, i) => {
      const [c0, c1] = ranges[i];
      const effective = sliceColumns(r.effectiveWeight, K, N, c0, c1);
      outcomes.push(form === 'packed' ? nbitsOutcome(K, sliceQuantized(r, c0, c1)) : { kind: 'dense', weight: effective });
      layers.push(stat(t, { ...weightErrorStats(task.weights[i], effective), outputError: r.stats.outputError }, { alpha: r.alpha, outputErrorScope: 'input-group' }));
    });
    return { outcomes, layers, ...(form === 'packed' ? { scaling: r.channelScales } : {}) };
  }
  const r = smoothQuant(W, K, N, X, { alpha: params.alpha as number, weightGranularity: params.weightGranularity as 'channel' | 'tensor' });
  shapes.forEach((t, i) => {
    const [c0, c1] = ranges[i];
    const effective = sliceColumns(r.effectiveWeight, K, N, c0, c1);
    const perColumn = r.weightGranularity === 'channel';
    const weights = matMulIntegerWeights({
      K, N: t.N, weightInt8: sliceColumns(r.weightInt8, K, N, c0, c1),
      weightScales: perColumn ? r.weightScales.slice(c0, c1) : r.weightScales,
      weightZeroPoints: new Int8Array(perColumn ? t.N : 1),
    });
    outcomes.push(form === 'packed' ? { kind: 'w8a8', weights } : { kind: 'dense', weight: effective });
    layers.push(stat(t, { ...weightErrorStats(task.weights[i], effective), outputError: r.stats.outputError }, { alpha: r.alpha, outputErrorScope: 'input-group' }));
  });
  return { outcomes, layers, ...(form === 'packed' ? { scaling: r.smoothingFactors } : {}) };
}
