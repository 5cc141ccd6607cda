/**
 * Non-finite numbers never pass (issue 21): a model with NaN/Inf weights is refused before
 * any kernel runs, naming the tensor, and a kernel whose error statistics come out
 * non-finite refuses its variant instead of writing one that looks fine.
 */
import { InfraError, InputError } from '../../core/errors.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import { visitExternalBytes } from '../formats/onnx/initializer-data.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { LayerStats } from './apply-method.js';
import type { SurgeryModel } from './model-graph.js';

/** Bytes per piece when an external tensor is scanned (a multiple of 4). */
const PIECE_BYTES = 1 << 24;

/**
 * Throws InputError naming the first fp32 initializer that holds NaN or ±Inf; an
 * externally stored one is scanned from its file in pieces (never a whole tensor).
 */
export function assertFiniteWeights(m: SurgeryModel): void {
  for (const t of m.model.graph?.initializer ?? []) {
    if (t.data_type !== OnnxDataType.FLOAT) continue;
    const scan = { bad: 0, first: -1, firstValue: 0, seen: 0 };
    if (externalDataOf(t)) visitExternalBytes(t, m.onnxPath, m.dir, PIECE_BYTES, (piece) => scanFloats(piece, scan));
    else if (t.raw_data) scanFloats(t.raw_data, scan);
    if (scan.bad > 0) {
      throw new InputError(`${m.onnxPath}: tensor '${t.name ?? ''}' holds ${scan.bad} non-finite value(s) (first at element ${scan.first}: ${scan.firstValue}); the model is broken — fix or re-export it before compressing`);
    }
  }
}

/** Counts the non-finite float32 values of `raw` into `scan` (element indices continue from `scan.seen`). */
function scanFloats(raw: Uint8Array, scan: { bad: number; first: number; firstValue: number; seen: number }): void {
  // raw_data is often unaligned inside the protobuf buffer: then a copy.
  const values = raw.byteOffset % 4 === 0
    ? new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4))
    : new Float32Array(new Uint8Array(raw.subarray(0, raw.byteLength - (raw.byteLength % 4))).buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    // x − x is NaN exactly for NaN and ±Inf.
    if (x - x !== 0) {
      if (scan.bad++ === 0) {
        scan.first = scan.seen + i;
        scan.firstValue = x;
      }
    }
  }
  scan.seen += values.length;
}

/** Throws InfraError when any layer's error statistics are not finite numbers. */
export function assertFiniteStats(layers: readonly LayerStats[]): void {
  for (const l of layers) {
    for (const key of ['maxAbsError', 'relFrobeniusError', 'outputError'] as const) {
      const v = l[key];
      if (v === undefined && key === 'outputError') continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InfraError(`the kernel's error statistics for ${l.weight} are not finite (${key} ${String(v)}); the variant is refused, not written`);
      }
    }
  }
}
