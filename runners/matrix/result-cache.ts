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
import { packagePath } from '../../core/paths.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/index.js';
import type { InstanceRecord } from '../../suites/index.js';

/**
 * Version of how requests are built, tokenized and scored. The cache key hashes the
 * variant, the suite and the instance, not this code, so bump it whenever a change
 * would alter a cached record (2: loglikelihood pairs split at the longest common
 * token prefix; 3: batch-invariant forwards, rows right-padded to widths fixed by their
 * own length; 4: contexts longer than 32 tokens prefilled in 32-token blocks through the
 * prefix tree, and the gathered LM head's GEMM kept at an even row count: up to 2.1e-5
 * nats from v3 on fp32, docs/prefix-tree.md; 5: a context's last node and the continuation
 * passes padded to an even width instead of a multiple of 8, and the log-softmax normaliser
 * computed in the graph (`logits_lse`): up to 3.6e-5 nats from v4; 6: an instance's
 * loglikelihood requests scored as one group, a prefix-tree leaf and all of the group's
 * continuations in one packed row, and contexts cut every 8 tokens up to token 32: up to
 * 1.5e-5 nats from the unpacked tree on the teacher, 3.4e-5 on stories260k).
 */
export const SCORING_VERSION = 6;

/** The cache file of one variant × suite under the current {@link SCORING_VERSION}. */
export function resultFile(cacheDir: string, variantHash: string, suiteHash: string): string {
  return join(cacheDir, 'results', `scoring-v${SCORING_VERSION}`, variantHash, `${suiteHash}.jsonl`);
}

/** What a cache file held: the usable records, and how many lines were rejected (recomputed). */
export interface CachedResults {
  readonly records: Map<string, InstanceRecord>;
  /** Lines that did not parse or did not match core/schemas/instance-record.schema.json (a torn write, a hand edit). */
  readonly rejected: number;
  /** The first rejected line's problem, for the log. */
  readonly firstProblem?: string;
}

let check: SchemaCheck | undefined;

/**
 * Cached records by instance id (the last line wins). The cache is untrusted input: a
 * line that does not parse (torn by a kill mid-write) or does not match the instance
 * record schema (a hand edit such as "scores": "lol") is not used, so its instance is
 * recomputed, and it is counted.
 */
export function readResults(file: string, suiteId?: string, template?: string): CachedResults {
  const records = new Map<string, InstanceRecord>();
  if (!existsSync(file)) return { records, rejected: 0 };
  check ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'instance-record.schema.json'), 'utf8')) as object);
  const parsed = parseJsonl(readFileSync(file, 'utf8'), file);
  let rejected = parsed.problems.length;
  let firstProblem = parsed.problems[0];
  for (const row of parsed.rows) {
    const problems = check(row.value, { file, line: row.line });
    const r = row.value as InstanceRecord;
    const wrongSuite = problems.length === 0 && suiteId !== undefined && (r.suiteId !== suiteId || r.template !== template);
    const nonFinite = problems.length === 0 && r.state === 'scored' && Object.values(r.scores).some((v) => !Number.isFinite(v));
    if (problems.length > 0 || wrongSuite || nonFinite) {
      rejected++;
      firstProblem ??= problems.length > 0 ? formatProblem(problems[0]) : `${file}:${row.line}: ${wrongSuite ? `suite '${r.suiteId}'${r.template ? ` @${r.template}` : ''} is not '${suiteId}'${template ? ` @${template}` : ''}` : 'a score is not finite'}`;
      continue;
    }
    if (isCacheable(r)) records.set(r.instanceId, r);
  }
  return { records, rejected, ...(firstProblem !== undefined ? { firstProblem: String(firstProblem) } : {}) };
}

function isCacheable(r: InstanceRecord): boolean {
  // A generation cached before lengths were recorded is recomputed (greedy: same text, same score) so every line carries its length.
  if (r.state === 'scored') return r.outcome.kind !== 'generate' || r.outcome.generatedTokens !== undefined;
  return !r.isFatal;
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
