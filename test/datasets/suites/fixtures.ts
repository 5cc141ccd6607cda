import { readFileSync } from 'node:fs';
import { packagePath } from '../../../core/paths.js';
import { buildCorpus, type Corpus, DEFAULT_CORPUS_OPTIONS } from '../../../datasets/corpus/build.js';
import { type CorpusIndex, indexCorpus } from '../../../datasets/suites/corpus-index.js';

let cached: { corpus: Corpus; index: CorpusIndex } | undefined;

/** The training corpus rebuilt in memory with the corpus' own code (default seed), and its index. */
export function bundledCorpus(): { corpus: Corpus; index: CorpusIndex } {
  cached ??= (() => {
    const corpus = buildCorpus(DEFAULT_CORPUS_OPTIONS);
    return { corpus, index: indexCorpus(corpus) };
  })();
  return cached;
}

/** A committed row of suites/<id>/data.jsonl. */
export interface Row {
  id: string;
  tags: Record<string, string | number>;
  [field: string]: unknown;
}

/** The committed rows of a bundled suite. */
export function committedRows(id: string): Row[] {
  return readFileSync(packagePath('suites', id, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
}

/** A committed facts.jsonl line. */
export interface FactLine {
  id: string;
  relation: string;
  subject: string;
  object: string;
  aliases: string[];
  count: number;
  dialect_counts: { en: number; sco: number };
  freq_bucket: string;
}

/** datasets/corpus/facts.jsonl by fact id. */
export function committedFacts(): Map<string, FactLine> {
  const lines = readFileSync(packagePath('datasets', 'corpus', 'facts.jsonl'), 'utf8').trim().split('\n');
  return new Map(lines.map((l) => JSON.parse(l) as FactLine).map((f) => [f.id, f]));
}

/** Instances per value of a tag. */
export function countBy(rows: readonly Row[], tag: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r.tags[tag])] = (out[String(r.tags[tag])] ?? 0) + 1;
  return out;
}
