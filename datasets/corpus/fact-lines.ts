/**
 * Corpus lines for facts: each mention is a QA line in LLM-KICK's frame (train
 * templates only) or a declarative statement, in the majority or minority dialect.
 */
import type { RawFact } from '../facts/sources.js';
import { bucketOf, type FreqBucket, minorityCount } from './frequency.js';
import type { Rng } from './rng.js';
import { type Dialect, fillTemplate, kickLine, TEMPLATES } from './templates.js';

/** Share of a fact's mentions written as QA lines (the rest are statements). */
export const QA_SHARE = 0.75;

/** A fact with its exact corpus counts, as written to `facts.jsonl`. */
export interface FactRecord extends RawFact {
  /** Lines in the corpus that state or ask this fact. */
  count: number;
  /** `count` split by dialect. */
  dialectCounts: Record<Dialect, number>;
  /** `count` split by form. */
  formCounts: { qa: number; statement: number };
  bucket: FreqBucket;
}

/** One corpus line with the slice it belongs to. */
export interface TaggedLine {
  text: string;
  kind: 'fact' | 'reasoning' | 'people';
  tags: Record<string, string>;
}

/** The lines for one fact at `count` mentions, and its record with exact counts. */
export function factLines(fact: RawFact, count: number, rng: Rng): { record: FactRecord; lines: TaggedLine[] } {
  const sco = minorityCount(count);
  const lines: TaggedLine[] = [];
  const formCounts = { qa: 0, statement: 0 };
  for (let i = 0; i < count; i++) {
    const dialect: Dialect = i < sco ? 'sco' : 'en';
    const t = TEMPLATES[fact.relation][dialect];
    const qa = rng.next() < QA_SHARE;
    const text = qa
      ? kickLine(fillTemplate(rng.pick(t.train), fact.subject), fact.object)
      : fillTemplate(rng.pick(t.statements), fact.subject, fact.object);
    formCounts[qa ? 'qa' : 'statement']++;
    lines.push({ text, kind: 'fact', tags: { fact: fact.id, relation: fact.relation, dialect, form: qa ? 'qa' : 'statement' } });
  }
  const record: FactRecord = {
    ...fact,
    count,
    dialectCounts: { en: count - sco, sco },
    formCounts,
    bucket: bucketOf(count),
  };
  return { record, lines };
}
