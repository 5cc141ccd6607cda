/**
 * The baseline's next-token distributions of one instance, at every scored token of its
 * loglikelihood and rolling requests: the raw float32 logits (lossless: what the model
 * produced) when the vocabulary has at most {@link MAX_EXACT_VOCAB} tokens, else the top
 * {@link TOP_K} log-probabilities and the reference token's. Stored content-addressed
 * (baseline × suite × instance hash) as a small binary file, read by the variant's shards.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { reduceTopK, type BaselineRow } from '../../core/stats/token-agreement.js';

/** Largest vocabulary whose whole logit rows are stored (KL exact); above it, top-K (a lower bound). */
export const MAX_EXACT_VOCAB = 4096;
/** Tokens kept per position above {@link MAX_EXACT_VOCAB}. */
export const TOP_K = 64;

const MAGIC = 0x4c4b4243; // 'CBKL'
const VERSION = 1;

/** One instance's baseline rows; row `slotStart[slot] + position` is request `slot`'s scored token `position`. */
export interface BaselineRows {
  readonly vocab: number;
  /** Values per row: `vocab` (exact logits) or {@link TOP_K}. */
  readonly k: number;
  /** Scored tokens per request slot (0 for a request that scores none, e.g. generate). */
  readonly slotCounts: readonly number[];
  readonly targets: Int32Array;
  /** [rows × k]: raw logits (exact) or log-probabilities of `ids` (top-K). */
  readonly values: Float32Array;
  /** [rows × k] top-K ids (absent when exact). */
  readonly ids?: Int32Array;
  /** [rows] log p of the reference token (absent when exact). */
  readonly targetLogProbs?: Float32Array;
}

/** What a record says about how its KL was computed. */
export function boundOf(rows: Pick<BaselineRows, 'vocab' | 'k'>): string {
  return rows.k === rows.vocab ? 'exact' : `top-K lower bound, K=${rows.k}`;
}

/** First row index of each slot. */
export function slotStarts(rows: Pick<BaselineRows, 'slotCounts'>): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const c of rows.slotCounts) {
    starts.push(at);
    at += c;
  }
  return starts;
}

/** Row `row` of `rows` as the form core/stats/token-agreement.ts reads. */
export function baselineRow(rows: BaselineRows, row: number): BaselineRow {
  if (rows.ids && rows.targetLogProbs) {
    return { form: 'top-k', ids: rows.ids, logProbs: rows.values, offset: row * rows.k, k: rows.k, targetLogProb: rows.targetLogProbs[row] };
  }
  return { form: 'logits', logits: rows.values, offset: row * rows.k };
}

/** Collects one instance's rows as the baseline's forwards observe them (any order; a position seen twice is overwritten). */
export class BaselineCollector {
  private readonly slots = new Map<number, Map<number, { target: number; row: Float32Array }>>();
  private vocab = -1;

  /** Keeps the position's logits (copied). */
  observe(slot: number, position: number, target: number, logits: Float32Array, offset: number, vocab: number): void {
    this.vocab = vocab;
    let s = this.slots.get(slot);
    if (!s) this.slots.set(slot, (s = new Map()));
    s.set(position, { target, row: logits.slice(offset, offset + vocab) });
  }

  /** The rows of `slotCount` request slots, or a reason when a slot's positions are not 0..n−1. */
  finish(slotCount: number): BaselineRows | string {
    if (this.vocab < 1) return 'the baseline scored no token of this instance';
    const counts: number[] = [];
    for (let slot = 0; slot < slotCount; slot++) {
      const s = this.slots.get(slot);
      const n = s?.size ?? 0;
      for (let p = 0; p < n; p++) if (!s!.has(p)) return `the baseline's request ${slot} has no distribution at token ${p}`;
      counts.push(n);
    }
    const total = counts.reduce((a, b) => a + b, 0);
    const exact = this.vocab <= MAX_EXACT_VOCAB;
    const k = exact ? this.vocab : Math.min(TOP_K, this.vocab);
    const targets = new Int32Array(total);
    const values = new Float32Array(total * k);
    const ids = exact ? undefined : new Int32Array(total * k);
    const targetLogProbs = exact ? undefined : new Float32Array(total);
    let row = 0;
    for (let slot = 0; slot < slotCount; slot++) {
      for (let p = 0; p < counts[slot]; p++, row++) {
        const { target, row: logits } = this.slots.get(slot)!.get(p)!;
        targets[row] = target;
        if (exact) values.set(logits, row * k);
        else targetLogProbs![row] = reduceTopK(logits, 0, this.vocab, k, target, ids!, values, row);
      }
    }
    return { vocab: this.vocab, k, slotCounts: counts, targets, values, ...(ids ? { ids, targetLogProbs } : {}) };
  }
}

/** The file of one instance's rows: `<dir>/<instance hash>.bin`. */
export function rowsFile(dir: string, instanceHash: string): string {
  return join(dir, `${instanceHash}.bin`);
}

/** Writes rows atomically (concurrent writers of the same instance write the same bytes). */
export function writeRows(file: string, rows: BaselineRows): void {
  const header = Uint32Array.from([MAGIC, VERSION, rows.vocab, rows.k, rows.slotCounts.length, ...rows.slotCounts]);
  const parts: ArrayBufferView[] = [header, rows.targets, rows.values];
  if (rows.ids && rows.targetLogProbs) parts.push(rows.ids, rows.targetLogProbs);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileAtomic(file, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))), { flag: '--cache-dir' });
}

/** Reads rows, or undefined when the file is absent or not a valid rows file (then recomputed). */
export function readRows(file: string): BaselineRows | undefined {
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  const words = aligned.byteLength >> 2;
  if (aligned.byteLength % 4 !== 0 || words < 5) return undefined;
  const u32 = new Uint32Array(aligned.buffer, 0, words);
  const [magic, version, vocab, k, nSlots] = u32;
  if (magic !== MAGIC || version !== VERSION || words < 5 + nSlots) return undefined;
  const slotCounts = Array.from(u32.subarray(5, 5 + nSlots));
  const rows = slotCounts.reduce((a, b) => a + b, 0);
  const exact = k === vocab;
  const expected = 5 + nSlots + rows + rows * k + (exact ? 0 : rows * k + rows);
  if (words !== expected) return undefined;
  let at = (5 + nSlots) * 4;
  const take = <T>(make: (buf: ArrayBuffer, offset: number, n: number) => T, n: number): T => {
    const out = make(aligned.buffer, at, n);
    at += n * 4;
    return out;
  };
  const targets = take((b, o, n) => new Int32Array(b, o, n), rows);
  const values = take((b, o, n) => new Float32Array(b, o, n), rows * k);
  if (exact) return { vocab, k, slotCounts, targets, values };
  const ids = take((b, o, n) => new Int32Array(b, o, n), rows * k);
  const targetLogProbs = take((b, o, n) => new Float32Array(b, o, n), rows);
  return { vocab, k, slotCounts, targets, values, ids, targetLogProbs };
}
