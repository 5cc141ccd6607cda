import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { InputError } from './errors.js';

/** One parsed JSONL line with its 1-based line number, for error messages. */
export interface JsonlRow {
  readonly line: number;
  readonly value: unknown;
}

/** Rows that parsed and one-line problems (`FILE:LINE: …`) for those that did not. */
export interface JsonlParse {
  readonly rows: JsonlRow[];
  readonly problems: string[];
}

/**
 * Parses JSON Lines text: one JSON value per line, blank lines skipped, a leading BOM
 * and CRLF endings tolerated. Collects every malformed line instead of stopping at the
 * first, so `compbench suites validate` can list them all.
 */
export function parseJsonl(text: string, file: string): JsonlParse {
  const rows: JsonlRow[] = [];
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    try {
      rows.push({ line: i + 1, value: JSON.parse(source) });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.push(`${file}:${i + 1}: malformed JSON (${reason}) — write exactly one JSON value per line`);
    }
  });
  return { rows, problems };
}

/** Reads and parses a JSONL file; throws an {@link InputError} naming the first bad line. */
export function readJsonl(file: string): JsonlRow[] {
  const { rows, problems } = parseJsonl(readTextFile(file), file);
  if (problems.length > 0) throw new InputError(problems[0]);
  return rows;
}

/** Reads a UTF-8 text file, turning "not found" into an {@link InputError} that names it. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: file not found — check the path`);
    if (code === 'EISDIR') throw new InputError(`${file}: is a folder, not a file — give a file path`);
    throw e;
  }
}

/** Serialises values as JSON Lines (one compact JSON value per line, trailing newline). */
export function toJsonl(values: Iterable<unknown>): string {
  let out = '';
  for (const v of values) out += JSON.stringify(v) + '\n';
  return out;
}

/**
 * Appends values to a JSONL file and fsyncs it, so a crash after this call loses
 * nothing that was written (results are streamed to disk as they come).
 */
export function appendJsonl(file: string, values: Iterable<unknown>): void {
  const text = toJsonl(values);
  if (text === '') return;
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
