/**
 * Capturing the input activations X (T,K) of the target MatMuls from the fp32 model: the
 * tensors are added as graph outputs of a copy of the graph (weights inlined), written to
 * a temp dir and run by onnxruntime over the calibration sequences (empty KV cache,
 * causal full-sequence forward, no padding: sequences of one length share a batch).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InfraError, messageOf } from '../../core/errors.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import { readExternalBytes } from '../formats/onnx/initializer-data.js';
import type { OnnxModel } from '../formats/onnx/onnx-types.js';
import { encodeModel } from '../formats/onnx/read-model.js';
import type { DecoderConfig } from '../model/model-config.js';
import type { SurgeryModel } from './model-graph.js';

/** Captured activations: tensor name -> X (T,K) row-major over all calibration tokens. */
export type Activations = Map<string, { readonly data: Float32Array; readonly T: number; readonly K: number }>;

/** Sequences per forward pass: bounds the memory of one capture run. */
const BATCH = 8;

/** A copy of the model with `names` as extra float outputs and every weight inline. */
function captureModel(m: SurgeryModel, names: readonly string[]): OnnxModel {
  const g = m.model.graph!;
  const initializer = (g.initializer ?? []).map((t) => {
    if (!externalDataOf(t)) return t;
    return { ...t, raw_data: readExternalBytes(t, m.onnxPath, m.dir), external_data: [], data_location: 0 };
  });
  const extra = names.map((name) => ({ name, type: { tensor_type: { elem_type: 1 } } }));
  return { ...m.model, graph: { ...g, initializer, output: [...((g.output as unknown[]) ?? []), ...extra] } };
}

/** Runs the calibration sequences and returns the activations of `names`. */
export async function captureActivations(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads = 1,
): Promise<Activations> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-capture-'));
  const path = join(dir, 'model.onnx');
  let session: ort.InferenceSession | undefined;
  try {
    writeFileSync(path, encodeModel(captureModel(m, names)));
    try {
      session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'basic', intraOpNumThreads: threads, interOpNumThreads: 1 });
    } catch (e) {
      throw new InfraError(`activation capture: onnxruntime could not load the instrumented copy of ${m.onnxPath}: ${messageOf(e).slice(0, 300)}`);
    }
    const chunks = new Map<string, Float32Array[]>(names.map((n) => [n, []]));
    const byLength = new Map<number, (readonly number[])[]>();
    for (const s of sequences) byLength.set(s.length, [...(byLength.get(s.length) ?? []), s]);
    for (const [len, group] of byLength) {
      for (let b = 0; b < group.length; b += BATCH) {
        const rows = group.slice(b, b + BATCH);
        const out = await session.run(feeds(session, config, rows, len), names);
        for (const n of names) chunks.get(n)!.push((out[n] as ort.Tensor).data as Float32Array);
      }
    }
    const T = sequences.reduce((a, s) => a + s.length, 0);
    const result: Activations = new Map();
    for (const n of names) {
      const parts = chunks.get(n)!;
      const total = parts.reduce((a, p) => a + p.length, 0);
      const data = new Float32Array(total);
      let o = 0;
      for (const p of parts) {
        data.set(p, o);
        o += p.length;
      }
      result.set(n, { data, T, K: total / T });
    }
    return result;
  } finally {
    if (session) await session.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Inputs of one unpadded forward from an empty cache. */
function feeds(session: ort.InferenceSession, config: DecoderConfig, rows: readonly (readonly number[])[], len: number): Record<string, ort.Tensor> {
  const B = rows.length;
  const ids = new BigInt64Array(B * len);
  const pos = new BigInt64Array(B * len);
  rows.forEach((r, b) => r.forEach((id, j) => {
    ids[b * len + j] = BigInt(id);
    pos[b * len + j] = BigInt(j);
  }));
  const f: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [B, len]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(B * len).fill(1n), [B, len]),
  };
  for (const name of session.inputNames) {
    if (name === 'position_ids') f[name] = new ort.Tensor('int64', pos, [B, len]);
    else if (name === 'use_cache_branch') f[name] = new ort.Tensor('bool', new Uint8Array([0]), [1]);
    else if (name.startsWith('past_key_values.')) f[name] = new ort.Tensor('float32', new Float32Array(0), [B, config.numKvHeads, 0, config.headDim]);
  }
  return f;
}
