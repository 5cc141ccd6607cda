/**
 * SmoothQuant (Xiao et al. 2022, "SmoothQuant: Accurate and Efficient Post-Training
 * Quantization for Large Language Models"): migrate activation outliers into the weights
 * with s_j = max|X_j|^α / max|W_j|^(1−α) (W_j = row j of W (K,N), clamped at 1e−5 as the
 * reference `smooth_ln_fcs`), W' = diag(s)·W, X' = X/s; then W8A8:
 * - weights int8 symmetric per output column (default) or per tensor, zero point 0 — the
 *   layout of ONNX MatMulInteger's B with a per-column b_zero_point (one per N); the
 *   float scales are applied to the int32 result afterwards;
 * - activations uint8 asymmetric per tensor, computed at run time by DynamicQuantizeLinear.
 * The caller folds 1/s into the preceding RMSNorm weight (or inserts a Mul).
 */
import { InputError } from '../core/errors.js';
import { dequantizeLinear, dynamicQuantizeLinear } from './dynamic-quantize.js';
import { weightErrorStats } from './error-stats.js';
import { columnAbsStats, matmul, relativeSquaredError } from './matmul.js';
import { roundHalfEven } from './quant-grid.js';
import { calibrationTokens, checkShape } from './shapes.js';
import type { ErrorStats } from './types.js';

/** SmoothQuant options. */
export interface SmoothQuantOptions {
  /** Migration strength α in [0, 1]; default 0.5. */
  readonly alpha?: number;
  /** Weight scales per output column (default) or one per tensor. */
  readonly weightGranularity?: 'channel' | 'tensor';
}

/** SmoothQuant result. */
export interface SmoothQuantResult {
  readonly K: number;
  readonly N: number;
  readonly alpha: number;
  /** s (K): multiply the preceding norm weight by 1/s (X' = X/s). */
  readonly smoothingFactors: Float32Array;
  /** W' = diag(s)·W (K,N). */
  readonly smoothedWeight: Float32Array;
  /** round(W'/scale) clamped to ±127, (K,N): MatMulInteger's B. */
  readonly weightInt8: Int8Array;
  /** Per output column (N) or one value (per tensor). */
  readonly weightScales: Float32Array;
  /** MatMulInteger b_zero_point: zeros, same length as weightScales. */
  readonly weightZeroPoints: Int8Array;
  readonly weightGranularity: 'channel' | 'tensor';
  /** diag(1/s)·int8·scale (K,N): the weight the layer effectively applies to X. */
  readonly effectiveWeight: Float32Array;
  /** DynamicQuantizeLinear parameters of X' over all calibration tokens. */
  readonly activation: { readonly scale: number; readonly zeroPoint: number };
  /**
   * Weight errors of the effective weight against W; outputError = ‖XW − Ŷ‖²/‖XW‖² with
   * Ŷ = dequant(DQL(X'))·dequant(W'_int8), i.e. with simulated activation quantization.
   */
  readonly stats: ErrorStats & { readonly outputError: number; readonly outputErrorWeightOnly: number };
}

/**
 * Smooths and quantizes one linear layer to W8A8.
 * // W (K,N), X (T,K) -> s (K,), int8 W' (K,N), scales (N,) or (1,)
 */
export function smoothQuant(W: Float32Array, K: number, N: number, X: Float32Array, options: SmoothQuantOptions = {}): SmoothQuantResult {
  checkShape('smoothquant: W', W, K, N);
  const T = calibrationTokens('smoothquant', X, K);
  const alpha = options.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1)) throw new InputError(`smoothquant: alpha must be in [0, 1], got ${alpha}`);
  const weightGranularity = options.weightGranularity ?? 'channel';

  const { maxAbs: actMax } = columnAbsStats(X, T, K);
  const s = smoothingFactors(actMax, W, K, N, alpha);
  const smoothedWeight = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) smoothedWeight[k * N + n] = W[k * N + n] * s[k];
  }
  const { weightInt8, weightScales } = quantizeWeightInt8(smoothedWeight, K, N, weightGranularity);
  const dq = new Float32Array(K * N);
  const effectiveWeight = new Float32Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const i = k * N + n;
      dq[i] = Math.fround(weightInt8[i] * weightScales[weightGranularity === 'channel' ? n : 0]);
      effectiveWeight[i] = dq[i] / s[k];
    }
  }
  const Xs = new Float32Array(T * K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) Xs[t * K + k] = X[t * K + k] / s[k];
  }
  const aq = dynamicQuantizeLinear(Xs);
  const Y = matmul(X, T, K, W, N);
  const outputError = relativeSquaredError(Y, matmul(dequantizeLinear(aq), T, K, dq, N));
  const outputErrorWeightOnly = relativeSquaredError(Y, matmul(Xs, T, K, dq, N));
  return {
    K, N, alpha, smoothingFactors: s, smoothedWeight, weightInt8, weightScales,
    weightZeroPoints: new Int8Array(weightScales.length), weightGranularity, effectiveWeight,
    activation: { scale: aq.scale, zeroPoint: aq.zeroPoint },
    stats: { ...weightErrorStats(W, effectiveWeight), outputError, outputErrorWeightOnly },
  };
}

/**
 * s_j = max(max|X_j|^α / max(max|W_j|, 1e−5)^(1−α), 1e−5).
 * // actMax (K,), W (K,N) -> s (K,)
 */
export function smoothingFactors(actMax: Float64Array, W: Float32Array, K: number, N: number, alpha: number): Float32Array {
  const s = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    let wMax = 0;
    for (let n = 0; n < N; n++) wMax = Math.max(wMax, Math.abs(W[k * N + n]));
    const v = Math.pow(actMax[k], alpha) / Math.pow(Math.max(wMax, 1e-5), 1 - alpha);
    s[k] = Math.max(v, 1e-5);
  }
  return s;
}

/**
 * Symmetric int8 with scale = absmax/127 per output column or per tensor.
 * // W (K,N) -> int8 (K,N), scales (N,) or (1,)
 */
export function quantizeWeightInt8(W: Float32Array, K: number, N: number, granularity: 'channel' | 'tensor'): { weightInt8: Int8Array; weightScales: Float32Array } {
  const absmax = new Float64Array(granularity === 'channel' ? N : 1);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const j = granularity === 'channel' ? n : 0;
      absmax[j] = Math.max(absmax[j], Math.abs(W[k * N + n]));
    }
  }
  const weightScales = Float32Array.from(absmax, (a) => (a === 0 ? 1 : a / 127));
  const weightInt8 = new Int8Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) {
      const q = roundHalfEven(W[k * N + n] / weightScales[granularity === 'channel' ? n : 0]);
      weightInt8[k * N + n] = q < -127 ? -127 : q > 127 ? 127 : q;
    }
  }
  return { weightInt8, weightScales };
}
