/**
 * Serialized forms of a corpus: the text whose sha256 identifies it, the committed
 * JSONL/JSON files, and the summary that goes into the manifest and model cards.
 */
import { createHash } from 'node:crypto';
import type { Corpus } from './build.js';
import { FREQ_BUCKETS } from './frequency.js';

/** The training text: documents separated by a blank line, ending in a newline. */
export function corpusText(corpus: Corpus): string {
  return corpus.docs.join('\n\n') + '\n';
}

/** Hex sha256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `facts.jsonl`: one fact per line with its exact counts and bucket. */
export function factsJsonl(corpus: Corpus): string {
  return corpus.facts
    .map((f) => JSON.stringify({ id: f.id, relation: f.relation, subject: f.subject, object: f.object, aliases: f.aliases, count: f.count, dialect_counts: f.dialectCounts, form_counts: f.formCounts, freq_bucket: f.bucket }))
    .join('\n') + '\n';
}

/** `word-counts.json`: the rare-word targets first, then every word's exact count. */
export function wordCountsJson(corpus: Corpus): string {
  return JSON.stringify({ targets: corpus.targets, words: corpus.wordCounts }, null, 1) + '\n';
}

/** Counts of lines per slice tag value, e.g. `{ kind: { fact: 18152 }, dialect: { en: …, sco: … } }`. */
export function sliceCounts(corpus: Corpus): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = { kind: {} };
  for (const l of corpus.lines) {
    out.kind[l.kind] = (out.kind[l.kind] ?? 0) + 1;
    for (const [k, v] of Object.entries(l.tags)) {
      if (k === 'fact' || k === 'occupation' || k === 'hobby') continue;
      const key = `${l.kind}.${k}`;
      out[key] ??= {};
      out[key][v] = (out[key][v] ?? 0) + 1;
    }
  }
  return out;
}

/** Facts per frequency bucket and relation. */
export function factBuckets(corpus: Corpus): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const b of FREQ_BUCKETS) out[b.id] = {};
  for (const f of corpus.facts) out[f.bucket][f.relation] = (out[f.bucket][f.relation] ?? 0) + 1;
  return out;
}
