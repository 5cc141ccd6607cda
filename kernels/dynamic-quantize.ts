/**
 * ONNX DynamicQuantizeLinear (opset 11) exactly as onnxruntime's CPU kernel computes it
 * (core/util/qmath.h `GetQuantizationParameter`, then `MlasQuantizeLinear`), in float32:
 *   min = min(0, min x), max = max(0, max x)
 *   y_scale = max == min ? 1 : (max − min) / 255
 *   y_zero_point = round_half_even(clamp(0 − min / y_scale, 0, 255))
 *   y = clamp(round_half_even(x / y_scale) + y_zero_point, 0, 255)
 * (The ONNX reference evaluator differs only for an all-zero input, where it gives
 * y_scale = 1/255; y and the zero point are 0 either way.)
 */
import { roundHalfEven } from './quant-grid.js';

/** The three outputs of DynamicQuantizeLinear. */
export interface DynamicQuantized {
  /** uint8 codes, same length as x. */
  readonly y: Uint8Array;
  /** float32 scale. */
  readonly scale: number;
  /** uint8 zero point. */
  readonly zeroPoint: number;
}

/** Quantizes a whole tensor to uint8 with one dynamic scale and zero point. */
export function dynamicQuantizeLinear(x: Float32Array): DynamicQuantized {
  let min = 0;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  const scale = max === min ? 1 : Math.fround(Math.fround(max - min) / 255);
  const initialZero = Math.fround(0 - Math.fround(min / scale));
  const zeroPoint = roundHalfEven(Math.min(255, Math.max(0, initialZero)));
  const y = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const q = roundHalfEven(Math.fround(x[i] / scale)) + zeroPoint;
    y[i] = q < 0 ? 0 : q > 255 ? 255 : q;
  }
  return { y, scale, zeroPoint };
}

/** The float32 values DequantizeLinear gives back: (y − zero_point)·scale. */
export function dequantizeLinear(q: DynamicQuantized): Float32Array {
  return Float32Array.from(q.y, (v) => Math.fround((v - q.zeroPoint) * q.scale));
}
