/**
 * Capturing the input activations X (T,K) of the target MatMuls from the fp32 model over
 * the calibration sequences, segment by segment (capture-run.ts: onnxruntime never holds
 * more than one segment's weights). With spilling, each batch's outputs are appended to
 * one file per tensor and read back when asked for, so only one batch's outputs and one
 * tensor's X are in memory at a time.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecoderConfig } from '../model/model-config.js';
import { readActivationFile, type ActivationFile } from './activation-file.js';
import { runCapture } from './capture-run.js';
import type { SurgeryModel } from './model-graph.js';

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

/** Runs the calibration sequences and returns the activations of `names` (in memory); `budgetBytes` caps a capture segment's weights. */
export async function captureActivations(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads = 1, budgetBytes?: number,
): Promise<Activations> {
  const chunks = new Map<string, Float32Array[]>(names.map((n) => [n, []]));
  const T = await runCapture(m, config, names, sequences, threads, { push: (n, d) => chunks.get(n)!.push(d) }, budgetBytes);
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

/** As {@link captureActivations}, the same values, but spilled to temp files (bounded memory); `progress` as in runCapture. */
export async function captureActivationsSpilled(
  m: SurgeryModel, config: DecoderConfig, names: readonly string[], sequences: readonly (readonly number[])[], threads = 1, budgetBytes?: number,
  progress?: (line: string) => void,
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
    }, budgetBytes, progress);
    return new SpilledActivations(dir, files, T);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}
