/**
 * Running the calibration sequences through the fp32 model segment by segment
 * (capture-segments.ts): each segment is written to a temp dir as a small model (its
 * weights in an external data file, tensor by tensor) and run by onnxruntime over every
 * batch (empty KV cache, causal full-sequence forward, no padding: sequences of one length
 * share a batch), on the tensors the previous segments handed on. Only one segment's
 * session and the hand-on tensors of all batches (a few T×hidden floats) are alive at once.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InfraError, messageOf } from '../../core/errors.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { OnnxModel } from '../formats/onnx/onnx-types.js';
import type { DecoderConfig } from '../model/model-config.js';
import { captureBudgetBytes, planCaptureSegments, type CaptureSegment } from './capture-segments.js';
import type { SurgeryModel } from './model-graph.js';
import { writeWithExternalData } from './write-variant.js';

/** Sequences per forward pass: bounds the memory of one capture run. */
const BATCH = 8;

/** Where each batch's outputs go: into memory or appended to per-tensor files. */
export interface CaptureSink {
  push(name: string, data: Float32Array): void;
}

const ELEM: Readonly<Record<string, number>> = {
  float32: OnnxDataType.FLOAT, float64: OnnxDataType.DOUBLE, float16: OnnxDataType.FLOAT16, int64: OnnxDataType.INT64,
  int32: OnnxDataType.INT32, bool: OnnxDataType.BOOL, int8: 3, uint8: 2,
};

type ValueInfo = { name: string; type?: unknown };

/**
 * The segment as a model: graph inputs keep their declared types, handed-on tensors take
 * their runtime type. Initializers still in the source's data file stay references there
 * (the writer copies them file to file, so JS never holds the segment's weights).
 */
function segmentModel(m: SurgeryModel, seg: CaptureSegment, handed: ReadonlyMap<string, ort.Tensor>): OnnxModel {
  const g = m.model.graph!;
  const declared = new Map(((g.input as ValueInfo[] | undefined) ?? []).map((v) => [v.name, v]));
  const wanted = new Set(seg.initializers);
  const initializer = (g.initializer ?? []).filter((t) => wanted.has(t.name ?? ''));
  const input = seg.inputs.map((x) => declared.get(x) ?? { name: x, type: { tensor_type: { elem_type: ELEM[handed.get(x)!.type] } } });
  const output = seg.outputs.map((name) => ({ name }));
  return { ...m.model, graph: { ...g, node: [...seg.nodes], initializer, input, output, value_info: [] } };
}

/** The sequences in batches of one length, in a fixed order. */
function batchesOf(sequences: readonly (readonly number[])[]): { rows: (readonly number[])[]; len: number }[] {
  const byLength = new Map<number, (readonly number[])[]>();
  for (const s of sequences) byLength.set(s.length, [...(byLength.get(s.length) ?? []), s]);
  const out: { rows: (readonly number[])[]; len: number }[] = [];
  for (const [len, group] of byLength) for (let b = 0; b < group.length; b += BATCH) out.push({ rows: group.slice(b, b + BATCH), len });
  return out;
}

/**
 * Runs the sequences, hands every batch's captured outputs to `sink` (per tensor in batch
 * order); returns T. `budgetBytes` caps a segment's weights (default: captureBudgetBytes);
 * `progress` gets one line per finished segment with an ETA.
 */
export async function runCapture(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads: number, sink: CaptureSink,
  budgetBytes = captureBudgetBytes(m.model, names), progress?: (line: string) => void,
): Promise<number> {
  const segments = planCaptureSegments(m.model, names, budgetBytes);
  const batches = batchesOf(sequences);
  const graphInputs = new Set(((m.model.graph?.input as ValueInfo[] | undefined) ?? []).map((v) => v.name));
  const handed = batches.map(() => new Map<string, ort.Tensor>());
  const captured = new Set(names);
  const dir = mkdtempSync(join(tmpdir(), 'compbench-capture-'));
  const start = performance.now();
  try {
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s];
      const segDir = join(dir, String(s));
      mkdirSync(segDir);
      writeWithExternalData(join(segDir, 'model.onnx'), segmentModel(m, seg, handed[0]), { onnxPath: m.onnxPath, dir: m.dir });
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(join(segDir, 'model.onnx'), { graphOptimizationLevel: 'basic', intraOpNumThreads: threads, interOpNumThreads: 1 });
      } catch (e) {
        throw new InfraError(`activation capture: onnxruntime could not load segment ${s + 1}/${segments.length} of ${m.onnxPath}: ${messageOf(e).slice(0, 300)}`);
      } finally {
        rmSync(segDir, { recursive: true, force: true });
      }
      const later = new Set(segments.slice(s + 1).flatMap((x) => x.inputs));
      try {
        for (let b = 0; b < batches.length; b++) {
          const graphFeeds = feeds(seg.inputs.filter((x) => graphInputs.has(x)), config, batches[b].rows, batches[b].len);
          const feed = Object.fromEntries(seg.inputs.map((x) => [x, handed[b].get(x) ?? graphFeeds[x]]));
          const out = await session.run(feed, [...seg.outputs]);
          for (const o of seg.outputs) {
            if (captured.has(o)) sink.push(o, (out[o] as ort.Tensor).data as Float32Array);
            if (later.has(o)) handed[b].set(o, out[o] as ort.Tensor);
          }
          for (const x of [...handed[b].keys()]) if (!later.has(x)) handed[b].delete(x);
        }
      } finally {
        await session.release();
      }
      if (progress) {
        const elapsed = (performance.now() - start) / 1000;
        progress(`capture: segment ${s + 1}/${segments.length} ${elapsed.toFixed(1)} s, ETA ${((elapsed / (s + 1)) * (segments.length - s - 1)).toFixed(0)} s`);
      }
    }
    return sequences.reduce((a, s) => a + s.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Graph inputs `names` of one unpadded forward from an empty cache. */
function feeds(names: readonly string[], config: DecoderConfig, rows: readonly (readonly number[])[], len: number): Record<string, ort.Tensor> {
  const B = rows.length;
  const ids = new BigInt64Array(B * len);
  const pos = new BigInt64Array(B * len);
  rows.forEach((r, b) => r.forEach((id, j) => {
    ids[b * len + j] = BigInt(id);
    pos[b * len + j] = BigInt(j);
  }));
  const f: Record<string, ort.Tensor> = {};
  for (const name of names) {
    if (name === 'input_ids') f[name] = new ort.Tensor('int64', ids, [B, len]);
    else if (name === 'attention_mask') f[name] = new ort.Tensor('int64', new BigInt64Array(B * len).fill(1n), [B, len]);
    else if (name === 'position_ids') f[name] = new ort.Tensor('int64', pos, [B, len]);
    else if (name === 'use_cache_branch') f[name] = new ort.Tensor('bool', new Uint8Array([0]), [1]);
    else if (name.startsWith('past_key_values.')) f[name] = new ort.Tensor('float32', new Float32Array(0), [B, config.numKvHeads, 0, config.headDim]);
  }
  return f;
}
