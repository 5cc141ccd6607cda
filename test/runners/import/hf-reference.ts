/** The fixtures under test/fixtures/hf (datasets/hf-fixtures/make_fixtures.py) and their PyTorch reference outputs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../../core/paths.js';
import type { ForwardResult } from '../../../runners/backends/onnxruntime/decoder-session.js';

/** Families with a committed fixture folder. */
export const HF_FIXTURES = ['llama', 'llama-bf16', 'mistral', 'qwen2', 'phi3', 'phi3-longrope'] as const;

/** One fixture's reference.json, logits decoded: logits[p] is (S,V) row-major for prompt p. */
export interface HfReference {
  readonly family: string;
  readonly storage: string;
  readonly prompts: readonly (readonly number[])[];
  readonly logits: readonly Float32Array[];
  readonly vocab: number;
  readonly greedy: readonly (readonly number[])[];
  /** Logits of PyTorch's forward in the storage dtype (bf16/fp16 checkpoints only). */
  readonly lowPrecisionLogits?: readonly Float32Array[];
  readonly greedyFromBos200?: readonly number[];
}

type Encoded = { dims: number[]; f32: string };

function decode(e: Encoded): Float32Array {
  const bytes = Buffer.from(e.f32, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** A fixture folder's path. */
export function fixtureDir(name: string): string {
  return packagePath('test', 'fixtures', 'hf', name);
}

/** Reads `test/fixtures/hf/<name>/reference.json`. */
export function readReference(name: string): HfReference {
  const raw = JSON.parse(readFileSync(join(fixtureDir(name), 'reference.json'), 'utf8')) as Record<string, unknown>;
  const logits = (raw.logits as Encoded[]).map(decode);
  const low = (raw.bfloat16ForwardLogits ?? raw.float16ForwardLogits) as Encoded[] | undefined;
  return {
    family: raw.family as string,
    storage: raw.storage as string,
    prompts: raw.prompts as number[][],
    logits,
    vocab: (raw.logits as Encoded[])[0].dims[1],
    greedy: raw.greedy as number[][],
    ...(low ? { lowPrecisionLogits: low.map(decode) } : {}),
    ...(raw.greedyFromBos200 ? { greedyFromBos200: raw.greedyFromBos200 as number[] } : {}),
  };
}

/** max |a − b| over the logits of every position of one unpadded row vs the reference (S,V). */
export function maxLogitDiff(r: ForwardResult, row: number, ref: Float32Array, length: number): number {
  let m = 0;
  for (let j = 0; j < length; j++) {
    const at = r.offset(row, j);
    for (let v = 0; v < r.vocab; v++) m = Math.max(m, Math.abs(r.logits[at + v] - ref[j * r.vocab + v]));
  }
  return m;
}

/** Index of the largest value in logits[at, at + n). */
export function argmax(logits: Float32Array, at: number, n: number): number {
  let best = 0;
  for (let v = 1; v < n; v++) if (logits[at + v] > logits[at + best]) best = v;
  return best;
}
