/**
 * Inputs for the ONNX W8A8 pattern
 *   DynamicQuantizeLinear(x) → MatMulInteger(x_q, B, x_zp, b_zp) → Cast → Mul(x_scale·b_scale)
 * and a float reference of what that graph computes, for tests of graph surgery.
 * MatMulInteger (opset 10): B int8 [K, N]; b_zero_point a scalar (per tensor) or [N]
 * (per column); products are exact in int32; scales are applied after, per column.
 */
import { dynamicQuantizeLinear } from './dynamic-quantize.js';

/** The weight-side inputs of MatMulInteger and the scales applied afterwards. */
export interface MatMulIntegerWeights {
  readonly K: number;
  readonly N: number;
  /** int8 (K,N). */
  readonly B: Int8Array;
  /** int8 (N,) per column or (1,) per tensor. */
  readonly bZeroPoint: Int8Array;
  /** float (N,) per column or (1,) per tensor. */
  readonly bScale: Float32Array;
}

/** Collects MatMulInteger inputs from an int8 weight quantization (e.g. SmoothQuant's). */
export function matMulIntegerWeights(q: { K: number; N: number; weightInt8: Int8Array; weightScales: Float32Array; weightZeroPoints: Int8Array }): MatMulIntegerWeights {
  return { K: q.K, N: q.N, B: q.weightInt8, bZeroPoint: q.weightZeroPoints, bScale: q.weightScales };
}

/**
 * What the W8A8 graph outputs for X: DQL per tensor, exact int32 products, then
 * y = acc·x_scale·b_scale[n] in float32.
 * // X (T,K) -> Y (T,N)
 */
export function matMulIntegerReference(X: Float32Array, T: number, w: MatMulIntegerWeights): Float32Array {
  const { K, N, B, bZeroPoint, bScale } = w;
  const { y: xq, scale, zeroPoint } = dynamicQuantizeLinear(X);
  const perColumn = bScale.length === N && N > 1;
  const Y = new Float32Array(T * N);
  const acc = new Int32Array(N);
  for (let t = 0; t < T; t++) {
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const a = xq[t * K + k] - zeroPoint;
      if (a === 0) continue;
      for (let n = 0; n < N; n++) acc[n] += a * (B[k * N + n] - bZeroPoint[perColumn ? n : 0]);
    }
    for (let n = 0; n < N; n++) {
      Y[t * N + n] = Math.fround(acc[n] * Math.fround(scale * bScale[perColumn ? n : 0]));
    }
  }
  return Y;
}
