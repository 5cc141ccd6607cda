/**
 * Non-finite numbers never pass (issue 21): a model with NaN/Inf weights is refused before
 * any kernel runs, naming the tensor, and a kernel whose error statistics come out
 * non-finite refuses its variant instead of writing one that looks fine.
 */
import { InfraError, InputError } from '../../core/errors.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { LayerStats } from './apply-method.js';
import type { SurgeryModel } from './model-graph.js';

/** Throws InputError naming the first fp32 initializer that holds NaN or ±Inf (external data must be inlined). */
export function assertFiniteWeights(m: SurgeryModel): void {
  for (const t of m.model.graph?.initializer ?? []) {
    if (t.data_type !== OnnxDataType.FLOAT || !t.raw_data) continue;
    const raw = t.raw_data;
    // raw_data is often unaligned inside the protobuf buffer: read through a DataView.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    let bad = 0;
    let first = -1;
    for (let i = 0; i + 4 <= raw.byteLength; i += 4) {
      if (!Number.isFinite(view.getFloat32(i, true))) {
        bad++;
        if (first < 0) first = i / 4;
      }
    }
    if (bad > 0) {
      const v = view.getFloat32(first * 4, true);
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
