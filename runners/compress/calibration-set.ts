/**
 * The calibration token set: `nSequences` sequences of `seqLen` token ids (each starting
 * with the tokenizer's BOS prefix) cut from a text, chosen by a seed, and hashed so the
 * same settings always give the same bytes and the same sha256.
 *
 * Sampling: the text is split into paragraphs (blank lines, else lines); a seeded
 * Fisher–Yates shuffle orders them; paragraphs are tokenized in that order (each followed
 * by a newline) into one stream, and every sequence is the BOS prefix followed by the next
 * seqLen − 1 stream tokens. Only as much text as needed is tokenized; a short text gives
 * fewer sequences (the last one shorter).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { createRng } from '../../core/rng.js';
import { buildCorpus, corpusText, DEFAULT_CORPUS_OPTIONS } from '../../datasets/index.js';
import type { TextTokenizer } from '../text-tokenizer.js';

/** Where calibration text comes from and how much of it is used. */
export interface CalibrationSpec {
  /** A UTF-8 text file; absent: the bundled training corpus (datasets/corpus). */
  readonly textFile?: string;
  /** Sequences wanted (default 16). */
  readonly nSequences?: number;
  /** Tokens per sequence, BOS included (default 128). */
  readonly seqLen?: number;
  /** Shuffle seed (default 0). */
  readonly seed?: number;
}

/** Defaults of {@link CalibrationSpec}. */
export const CALIBRATION_DEFAULTS = { nSequences: 16, seqLen: 128, seed: 0 } as const;

/** Where the text came from, as recorded in compression.json. */
export interface CalibrationProvenance {
  /** The file path, or `bundled-corpus:…` for the default. */
  readonly source: string;
  /** sha256 of the text. */
  readonly textSha256: string;
  readonly nSequences: number;
  readonly seqLen: number;
  readonly seed: number;
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

/** The default calibration text: the bundled training corpus (built file, else regenerated). */
function bundledCorpus(): { text: string; source: string } {
  const built = packagePath('datasets', 'corpus', 'build', 'corpus.txt');
  if (existsSync(built)) return { text: readFileSync(built, 'utf8'), source: 'bundled-corpus:datasets/corpus/build/corpus.txt' };
  return { text: corpusText(buildCorpus(DEFAULT_CORPUS_OPTIONS)), source: `bundled-corpus:buildCorpus(seed ${DEFAULT_CORPUS_OPTIONS.seed})` };
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
  let text: string;
  let source: string;
  if (spec.textFile !== undefined) {
    try {
      text = readFileSync(spec.textFile, 'utf8');
    } catch (e) {
      throw new InputError(`cannot read calibration text ${spec.textFile}: ${messageOf(e)}`);
    }
    source = spec.textFile;
  } else {
    ({ text, source } = bundledCorpus());
  }
  const sequences = sampleSequences(text, tokenizer, nSequences, seqLen, seed);
  const prefix = tokenizer.encode('').length;
  if (sequences.length === 0 || sequences.every((s) => s.length <= prefix)) {
    throw new InputError(`calibration set is empty: ${source} holds no text to tokenize; give a non-empty --calib file`);
  }
  const tokens = sequences.reduce((a, s) => a + s.length, 0);
  return {
    sequences,
    provenance: { source, textSha256: sha256(text), nSequences: sequences.length, seqLen, seed, tokens, sha256: hashSequences(sequences) },
  };
}

function sampleSequences(text: string, tokenizer: TextTokenizer, n: number, seqLen: number, seed: number): number[][] {
  let paragraphs = text.split(/\n\s*\n/u).map((p) => p.trim()).filter((p) => p !== '');
  if (paragraphs.length < n) paragraphs = text.split('\n').map((p) => p.trim()).filter((p) => p !== '');
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
  let stream: number[] = [];
  let next = 0;
  while (out.length < n) {
    while (stream.length < body && next < order.length) stream = stream.concat(tokenizer.encodePlain(`${paragraphs[order[next++]]}\n`));
    if (stream.length === 0 || body <= 0) break;
    out.push([...prefix, ...stream.slice(0, body)]);
    stream = stream.slice(body);
  }
  return out;
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
