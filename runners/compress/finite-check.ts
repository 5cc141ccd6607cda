/**
 * Non-finite numbers never pass (issue 21): a model with NaN/Inf weights is refused before
 * any kernel runs, naming the tensor, and a kernel whose error statistics come out
 * non-finite refuses its variant instead of writing one that looks fine.
 */
import { InfraError, InputError } from '../../core/errors.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import { readExternalBytes } from '../formats/onnx/initializer-data.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { LayerStats } from './apply-method.js';
import type { SurgeryModel } from './model-graph.js';

/**
 * Throws InputError naming the first fp32 initializer that holds NaN or ±Inf; an
 * externally stored one is read from its file (one tensor in memory at a time).
 */
export function assertFiniteWeights(m: SurgeryModel): void {
  for (const t of m.model.graph?.initializer ?? []) {
    if (t.data_type !== OnnxDataType.FLOAT) continue;
    const raw = externalDataOf(t) ? readExternalBytes(t, m.onnxPath, m.dir) : t.raw_data;
    if (!raw) continue;
    // raw_data is often unaligned inside the protobuf buffer: then a copy (one tensor at a time).
    const values = raw.byteOffset % 4 === 0
      ? new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4))
      : new Float32Array(new Uint8Array(raw.subarray(0, raw.byteLength - (raw.byteLength % 4))).buffer);
    let bad = 0;
    let first = -1;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      // x − x is NaN exactly for NaN and ±Inf.
      if (x - x !== 0) {
        bad++;
        if (first < 0) first = i;
      }
    }
    if (bad > 0) {
      const v = values[first];
      throw new InputError(`${m.onnxPath}: tensor '${t.name ?? ''}' holds ${bad} non-finite value(s) (first at element ${first}: ${v}); the model is broken — fix or re-export it before compressing`);
    }
  }
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
