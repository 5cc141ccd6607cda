/**
 * The calibration token set: `nSequences` sequences of at most `seqLen` token ids (each
 * starting with the tokenizer's BOS prefix) cut from a text, chosen by a seed, and hashed
 * so the same settings always give the same bytes and the same sha256.
 *
 * Documents: the text's blank-line-separated paragraphs, or its non-empty lines when it
 * has fewer paragraphs than nSequences (the provenance's `split` says which). A seeded
 * Fisher–Yates shuffle orders them. Then, by `mode`:
 * - `stream` (default): documents are tokenized in that order (each followed by a newline)
 *   into one stream, and every sequence is the BOS prefix followed by the next seqLen − 1
 *   stream tokens, so sequences run across document boundaries (GPTQ's packed sampling).
 * - `documents`: one sequence per document, the BOS prefix followed by the document's first
 *   seqLen − 1 tokens (the rest is dropped; a shorter document gives a shorter sequence),
 *   so no sequence crosses a document boundary and every one starts where its text starts.
 * Only as much text as needed is tokenized; a short text gives fewer sequences.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { TextTokenizer } from '../model/text-tokenizer.js';
import { readCalibrationText, type CalibrationKind, type CalibrationSource } from './calibration-text.js';

/** Where calibration text comes from and how much of it is used. */
export interface CalibrationSpec extends CalibrationSource {
  /** A UTF-8 text file; absent (and no suite): the bundled training corpus (datasets/corpus). */
  readonly textFile?: string;
  /** Sequences wanted (default 16). */
  readonly nSequences?: number;
  /** Tokens per sequence, BOS included (default 128). */
  readonly seqLen?: number;
  /** Shuffle seed (default 0). */
  readonly seed?: number;
  /** 'stream' (default: packed, crossing documents) or 'documents' (one BOS-started sequence per document). */
  readonly mode?: CalibrationMode;
}

/** How sequences are cut: see the module comment. */
export type CalibrationMode = 'stream' | 'documents';

/** The calibration modes, for flags and schema enums. */
export const CALIBRATION_MODES: readonly CalibrationMode[] = ['stream', 'documents'];

/** Defaults of {@link CalibrationSpec}. */
export const CALIBRATION_DEFAULTS = { nSequences: 16, seqLen: 128, seed: 0, mode: 'stream' } as const;

/** Where the text came from, as recorded in compression.json. */
export interface CalibrationProvenance {
  /** The file path, `suite:<id>`, or `bundled-corpus:…` for the default. */
  readonly source: string;
  /** Which of the three sources it is (absent in compression.json written before suites could calibrate). */
  readonly kind?: CalibrationKind;
  /** sha256 of the text. */
  readonly textSha256: string;
  readonly nSequences: number;
  readonly seqLen: number;
  readonly seed: number;
  /** How sequences were cut: 'stream' or 'documents'. */
  readonly mode: CalibrationMode;
  /** What a document was: blank-line-separated 'paragraphs' or 'lines'. */
  readonly split: 'paragraphs' | 'lines';
  /** Tokens in all sequences. */
  readonly tokens: number;
  /** sha256 of the sequences as little-endian int32: [count, len_0, ids_0…, len_1, ids_1…]. */
  readonly sha256: string;
}

/** The token sequences and their provenance. */
export interface CalibrationSet {
  readonly sequences: readonly (readonly number[])[];
  readonly provenance: CalibrationProvenance;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new InputError(`calibration ${name} must be a positive integer, got ${v}`);
  return v;
}

/** Builds the calibration set; InputError when the text yields no tokens. */
export function buildCalibrationSet(spec: CalibrationSpec, tokenizer: TextTokenizer): CalibrationSet {
  const nSequences = positiveInt('nSequences (--calib-n)', spec.nSequences ?? CALIBRATION_DEFAULTS.nSequences);
  const seqLen = positiveInt('seqLen (--calib-len)', spec.seqLen ?? CALIBRATION_DEFAULTS.seqLen);
  const seed = spec.seed ?? CALIBRATION_DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`calibration seed must be a non-negative integer, got ${seed}`);
  const mode = spec.mode ?? CALIBRATION_DEFAULTS.mode;
  if (!CALIBRATION_MODES.includes(mode)) throw new InputError(`calibration mode must be one of ${CALIBRATION_MODES.join(', ')}, got '${String(mode)}'`);
  const { text, source, kind } = readCalibrationText(spec);
  const { sequences, split } = sampleSequences(text, tokenizer, { n: nSequences, seqLen, seed, mode });
  const prefix = tokenizer.encode('').length;
  if (sequences.length === 0 || sequences.every((s) => s.length <= prefix)) {
    throw new InputError(`calibration set is empty: ${source} holds no text to tokenize; give a non-empty --calib file`);
  }
  const tokens = sequences.reduce((a, s) => a + s.length, 0);
  return {
    sequences,
    provenance: { source, kind, textSha256: sha256(text), nSequences: sequences.length, seqLen, seed, mode, split, tokens, sha256: hashSequences(sequences) },
  };
}

function sampleSequences(
  text: string, tokenizer: TextTokenizer, o: { n: number; seqLen: number; seed: number; mode: CalibrationMode },
): { sequences: number[][]; split: 'paragraphs' | 'lines' } {
  const { n, seqLen, seed } = o;
  let split: 'paragraphs' | 'lines' = 'paragraphs';
  let paragraphs = text.split(/\n\s*\n/u).map((p) => p.trim()).filter((p) => p !== '');
  if (paragraphs.length < n) {
    paragraphs = text.split('\n').map((p) => p.trim()).filter((p) => p !== '');
    split = 'lines';
  }
  const order = Array.from({ length: paragraphs.length }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  // Stream of paragraph tokens in shuffled order; every sequence = BOS prefix + the next tokens.
  const prefix = tokenizer.encode('');
  const body = seqLen - prefix.length;
  const out: number[][] = [];
  if (o.mode === 'documents') {
    for (let next = 0; out.length < n && next < order.length && body > 0; next++) {
      const ids = tokenizer.encodePlain(paragraphs[order[next]]);
      if (ids.length > 0) out.push([...prefix, ...ids.slice(0, body)]);
    }
    return { sequences: out, split };
  }
  let stream: number[] = [];
  let next = 0;
  while (out.length < n) {
    while (stream.length < body && next < order.length) stream = stream.concat(tokenizer.encodePlain(`${paragraphs[order[next++]]}\n`));
    if (stream.length === 0 || body <= 0) break;
    out.push([...prefix, ...stream.slice(0, body)]);
    stream = stream.slice(body);
  }
  return { sequences: out, split };
}

/** sha256 of [count, len_0, ids_0…, len_1, ids_1…] as little-endian int32. */
export function hashSequences(sequences: readonly (readonly number[])[]): string {
  const total = 1 + sequences.reduce((a, s) => a + 1 + s.length, 0);
  const buf = new Int32Array(total);
  let i = 0;
  buf[i++] = sequences.length;
  for (const s of sequences) {
    buf[i++] = s.length;
    for (const id of s) buf[i++] = id;
  }
  return sha256(new Uint8Array(buf.buffer));
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
