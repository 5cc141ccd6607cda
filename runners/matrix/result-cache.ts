/**
 * Per-instance results cached by (variant hash, suite hash, instance hash): an
 * append-only `<cache>/results/<variant hash>/<suite hash>.jsonl`, fsynced after every
 * shard, so a crash loses at most the shards in flight and a rerun computes only what
 * is missing. Scored records are cached; an instance that failed on its own (a
 * non-fatal error, e.g. a prompt longer than the context) is cached only from a shard
 * that otherwise worked, since the failure is then a property of the instance. Fatal
 * errors and failed shards are retried next time.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { parseJsonl } from '../../core/jsonl.js';
import type { InstanceRecord } from '../../suites/index.js';

/**
 * Version of how requests are built, tokenized and scored. The cache key hashes the
 * variant, the suite and the instance, not this code, so bump it whenever a change
 * would alter a cached record (2: loglikelihood pairs split at the longest common
 * token prefix; 3: batch-invariant forwards, rows right-padded to widths fixed by their
 * own length).
 */
export const SCORING_VERSION = 3;

/** The cache file of one variant × suite under the current {@link SCORING_VERSION}. */
export function resultFile(cacheDir: string, variantHash: string, suiteHash: string): string {
  return join(cacheDir, 'results', `scoring-v${SCORING_VERSION}`, variantHash, `${suiteHash}.jsonl`);
}

/**
 * Cached records by instance id (the last line wins). Lines that do not parse, such as
 * a line torn by a kill in the middle of a write, are skipped.
 */
export function readResults(file: string): Map<string, InstanceRecord> {
  const out = new Map<string, InstanceRecord>();
  if (!existsSync(file)) return out;
  for (const row of parseJsonl(readFileSync(file, 'utf8'), file).rows) {
    const r = row.value as InstanceRecord;
    if (r && typeof r === 'object' && typeof r.instanceId === 'string' && isCacheable(r)) out.set(r.instanceId, r);
  }
  return out;
}

function isCacheable(r: InstanceRecord): boolean {
  return r.state === 'scored' || (r.state === 'errored' && !r.isFatal);
}

/**
 * Appends records and fsyncs: scored ones, and with `instanceErrors` also non-fatal
 * errored ones. A torn last line (no trailing newline) is closed
 * first so the new records start on their own line. A full disk is an InputError.
 */
export function appendResults(file: string, records: readonly InstanceRecord[], instanceErrors = false): void {
  const scored = records.filter((r) => r.state === 'scored' || (instanceErrors && isCacheable(r)));
  if (scored.length === 0) return;
  let text = '';
  for (const r of scored) text += `${JSON.stringify(r)}\n`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const fd = openSync(file, 'a+');
    try {
      const size = fstatSync(fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) text = `\n${text}`;
      }
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new InputError(`cannot write the result cache ${file}: ${messageOf(e)}; free disk space or choose another cache folder (--cache-dir)`);
  }
}
