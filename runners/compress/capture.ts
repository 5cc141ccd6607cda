/**
 * Capturing the input activations X (T,K) of the target MatMuls from the fp32 model: the
 * tensors are added as graph outputs of a copy of the graph (weights inlined), written to
 * a temp dir (weights in an external data file, tensor by tensor) and run by onnxruntime
 * over the calibration sequences (empty KV cache, causal full-sequence forward, no
 * padding: sequences of one length share a batch). With `spill`, each batch's outputs are
 * appended to one file per tensor and read back when asked for, so only one batch's
 * outputs and one tensor's X are in memory at a time.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InfraError, messageOf } from '../../core/errors.js';
import { externalDataOf } from '../formats/onnx/external-data.js';
import { readExternalBytes } from '../formats/onnx/initializer-data.js';
import type { OnnxModel } from '../formats/onnx/onnx-types.js';
import { readActivationFile, type ActivationFile } from './activation-file.js';
import type { DecoderConfig } from '../model/model-config.js';
import type { SurgeryModel } from './model-graph.js';
import { writeWithExternalData } from './write-variant.js';

/** One captured input: X (T,K) row-major over all calibration tokens. */
export interface Activation {
  readonly data: Float32Array;
  readonly T: number;
  readonly K: number;
}

/** Captured activations by tensor name (a Map, or spilled to disk: see {@link SpilledActivations}). */
export interface Activations {
  get(name: string): Activation | undefined;
  /** Where X of `name` lies on disk, when it was spilled. */
  file?(name: string): ActivationFile | undefined;
}

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

/**
 * Activations kept in per-tensor files of a temp dir; `get` reads one back (the last one
 * read is kept: q, k and v ask for the same X in a row). Call `dispose` when done.
 */
export class SpilledActivations implements Activations {
  private last: { name: string; value: Activation } | undefined;

  /** `files`: tensor name -> its file; `T` tokens per tensor. */
  constructor(private readonly dir: string, private readonly files: ReadonlyMap<string, { path: string; floats: number }>, private readonly T: number) {}

  /** X of `name`, read from its file (undefined when it was not captured). */
  get(name: string): Activation | undefined {
    if (this.last?.name === name) return this.last.value;
    const f = this.file(name);
    if (!f) return undefined;
    this.last = undefined;
    const value = readActivationFile(f);
    this.last = { name, value };
    return value;
  }

  /** Where X of `name` lies (a worker thread reads it there itself). */
  file(name: string): ActivationFile | undefined {
    const f = this.files.get(name);
    return f && { path: f.path, floats: f.floats, T: this.T };
  }

  /** Deletes the files. */
  dispose(): void {
    this.last = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where each batch's outputs go: into memory or appended to per-tensor files. */
interface Sink {
  push(name: string, data: Float32Array): void;
}

/** Runs the calibration sequences and returns the activations of `names` (in memory). */
export async function captureActivations(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads = 1,
): Promise<Activations> {
  const chunks = new Map<string, Float32Array[]>(names.map((n) => [n, []]));
  const T = await runCapture(m, config, names, sequences, threads, { push: (n, d) => chunks.get(n)!.push(d) });
  const result = new Map<string, Activation>();
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
}

/** As {@link captureActivations}, the same values, but spilled to temp files (bounded memory). */
export async function captureActivationsSpilled(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads = 1,
): Promise<SpilledActivations> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-activations-'));
  const files = new Map(names.map((n, i) => [n, { path: join(dir, `${i}.f32`), floats: 0 }]));
  const fds = new Map(names.map((n) => [n, openSync(files.get(n)!.path, 'w')]));
  try {
    const T = await runCapture(m, config, names, sequences, threads, {
      push: (n, d) => {
        const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
        for (let done = 0; done < bytes.length;) done += writeSync(fds.get(n)!, bytes, done, bytes.length - done);
        files.get(n)!.floats += d.length;
      },
    });
    return new SpilledActivations(dir, files, T);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

/** Runs the instrumented copy over the sequences, hands every batch's outputs to `sink`; returns T. */
async function runCapture(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads: number, sink: Sink,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-capture-'));
  const path = join(dir, 'model.onnx');
  let session: ort.InferenceSession | undefined;
  try {
    writeWithExternalData(path, captureModel(m, names));
    try {
      session = await ort.InferenceSession.create(path, { graphOptimizationLevel: 'basic', intraOpNumThreads: threads, interOpNumThreads: 1 });
    } catch (e) {
      throw new InfraError(`activation capture: onnxruntime could not load the instrumented copy of ${m.onnxPath}: ${messageOf(e).slice(0, 300)}`);
    }
    const byLength = new Map<number, (readonly number[])[]>();
    for (const s of sequences) byLength.set(s.length, [...(byLength.get(s.length) ?? []), s]);
    for (const [len, group] of byLength) {
      for (let b = 0; b < group.length; b += BATCH) {
        const rows = group.slice(b, b + BATCH);
        const out = await session.run(feeds(session, config, rows, len), names);
        for (const n of names) sink.push(n, (out[n] as ort.Tensor).data as Float32Array);
      }
    }
    return sequences.reduce((a, s) => a + s.length, 0);
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
