/**
 * Shared shapes of kernel inputs and outputs.
 *
 * Conventions (all kernels):
 * - A MatMul weight is stored as in the ONNX models: W (K,N) row-major, K = in features,
 *   N = out features, y = x @ W.
 * - Calibration activations are X (T,K) row-major, T tokens.
 * - "Per-channel" means per output column n; quantization groups run along K inside one
 *   output column (as GPTQ, AWQ and MatMulNBits do).
 * - Per-group parameters (scales, zero points) are stored (N, nGroups) row-major,
 *   which is MatMulNBits' scales layout.
 */
import type { GridKind } from './quant-grid.js';

/** A dense weight matrix W (K,N) row-major. */
export interface Matrix {
  /** Row-major values, length K·N. */
  readonly data: Float32Array;
  /** Rows: input features. */
  readonly K: number;
  /** Columns: output features. */
  readonly N: number;
}

/** Calibration activations X (T,K) row-major: the inputs the layer sees. */
export interface Calibration {
  /** Row-major values, length T·K. */
  readonly data: Float32Array;
  /** Tokens (rows). */
  readonly T: number;
}

/** How far a compressed weight is from the original. */
export interface WeightErrorStats {
  /** max |W − Ŵ| over all elements. */
  readonly maxAbsError: number;
  /** ‖W − Ŵ‖_F / ‖W‖_F (0 when W is all zero and Ŵ equals it). */
  readonly relFrobeniusError: number;
}

/** Weight error plus, for calibrated methods, the layer output error on the calibration X. */
export interface ErrorStats extends WeightErrorStats {
  /** ‖XW − XŴ‖²_F / ‖XW‖²_F on the calibration inputs; absent without calibration. */
  readonly outputError?: number;
}

/** Which elements share one quantization grid. */
export type Granularity = 'tensor' | 'channel' | number;

/**
 * A uniformly quantized weight: codes q in [0, 2^bits − 1] with Ŵ = scale·(q − zero).
 * Per-tensor and per-channel results use groupSize = K (one group per column); per-tensor
 * repeats its single scale in every column so every result has the same (N, nGroups) layout.
 * nGroups = ceil(K / groupSize): when groupSize does not divide K the last group of each
 * column covers the remaining K mod groupSize rows.
 */
export interface QuantizedMatrix {
  readonly K: number;
  readonly N: number;
  readonly bits: number;
  readonly symmetric: boolean;
  /** The grid's formulas (kernels/quant-grid.ts): asymmetric, symmetric-full or symmetric-narrow. */
  readonly grid: GridKind;
  /** What the caller asked for. */
  readonly granularity: Granularity;
  /** Rows of K sharing one scale inside a column (K for per-tensor and per-channel); the last group may be shorter. */
  readonly groupSize: number;
  /**
   * Group of each row k when groups are not contiguous (GPTQ act-order without static
   * groups); absent means group = floor(k / groupSize). Length K.
   */
  readonly groupIndex?: Int32Array;
  /** Codes, one per element, W's layout (K,N). */
  readonly codes: Uint8Array;
  /** Scales (N, nGroups). */
  readonly scales: Float32Array;
  /** Integer zero points (N, nGroups); 2^(bits−1) everywhere when symmetric. */
  readonly zeros: Uint8Array;
  /** Ŵ = scale·(q − zero), (K,N). */
  readonly dequantized: Float32Array;
}

/** A pruning result: the kept-weight mask and the pruned weight. */
export interface PrunedMatrix {
  readonly K: number;
  readonly N: number;
  /** 1 = kept, 0 = pruned, (K,N). */
  readonly mask: Uint8Array;
  /** W with pruned positions set to 0, (K,N). */
  readonly pruned: Float32Array;
  /** Fraction of positions pruned (zeros in the mask). */
  readonly sparsity: number;
}
