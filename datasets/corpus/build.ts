/**
 * The pure corpus builder: from a seed to documents, fact records with exact counts,
 * word counts, and a held-out text. No file I/O here (see `build-corpus.ts`).
 */
import { loadFacts } from '../facts/sources.js';
import { type FactRecord, factLines, type TaggedLine } from './fact-lines.js';
import { assignCounts, FACT_COUNT_PLAN, WORD_COUNT_PLAN } from './frequency.js';
import { HOBBIES, OCCUPATIONS, peopleLines } from './people.js';
import { reasoningItem, reasoningLine } from './reasoning.js';
import { createRng, shuffled, subSeed } from './rng.js';
import { countWords, type TargetWordRecord, targetRecords } from './word-counts.js';

/** Sizes of the corpus parts. */
export interface CorpusOptions {
  seed: number;
  /** Reasoning items in the training corpus. */
  reasoningItems: number;
  /** Lines per document. */
  linesPerDoc: number;
  /** Reasoning items in the held-out text. */
  heldoutReasoningItems: number;
}

/** Defaults used for the bundled models. */
export const DEFAULT_CORPUS_OPTIONS: CorpusOptions = { seed: 1234, reasoningItems: 12000, linesPerDoc: 8, heldoutReasoningItems: 600 };

/** Everything the builder produces. */
export interface Corpus {
  options: CorpusOptions;
  /** Training documents (lines joined by "\n"). */
  docs: string[];
  /** Every training line with its slice tags, in document order. */
  lines: TaggedLine[];
  facts: FactRecord[];
  targets: TargetWordRecord[];
  wordCounts: Record<string, number>;
  /** Held-out perplexity text: documents separated by a blank line; no line occurs in `docs`. */
  heldoutText: string;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Builds the corpus for `options`. Same options, same output (byte for byte once serialized). */
export function buildCorpus(options: CorpusOptions = DEFAULT_CORPUS_OPTIONS): Corpus {
  const { seed } = options;
  const rawFacts = loadFacts();
  const factCounts = assignCounts(rawFacts.map((f) => f.id), FACT_COUNT_PLAN, createRng(subSeed(seed, 'fact-counts')));
  const factRng = createRng(subSeed(seed, 'fact-lines'));
  const facts: FactRecord[] = [];
  const lines: TaggedLine[] = [];
  for (const f of rawFacts) {
    const { record, lines: fl } = factLines(f, factCounts.get(f.id) ?? 0, factRng);
    facts.push(record);
    lines.push(...fl);
  }
  const wordRng = createRng(subSeed(seed, 'word-counts'));
  const occCounts = assignCounts(OCCUPATIONS, WORD_COUNT_PLAN, wordRng);
  const hobbyCounts = assignCounts(HOBBIES, WORD_COUNT_PLAN, wordRng);
  for (const p of peopleLines(occCounts, hobbyCounts, createRng(subSeed(seed, 'people')))) {
    lines.push({ text: p.text, kind: 'people', tags: { ...p.tags } });
  }
  const reasonRng = createRng(subSeed(seed, 'reasoning'));
  for (let i = 0; i < options.reasoningItems; i++) {
    const item = reasoningItem(reasonRng);
    lines.push({ text: reasoningLine(item), kind: 'reasoning', tags: { reasoning: item.kind } });
  }
  const ordered = shuffled(lines, createRng(subSeed(seed, 'order')));
  const docs = chunk(ordered, options.linesPerDoc).map((d) => d.map((l) => l.text).join('\n'));
  const wordCounts = countWords(docs);
  const targets = [...targetRecords(occCounts, 'occupation', wordCounts), ...targetRecords(hobbyCounts, 'hobby', wordCounts)];
  const heldoutText = buildHeldoutText(options, new Set(ordered.map((l) => l.text)), facts);
  return { options, docs, lines: ordered, facts, targets, wordCounts, heldoutText };
}

/**
 * The held-out perplexity text: the same generators under an independent seed
 * stream (reasoning items, people lines, fact statements of common facts), with every
 * line that also occurs in the training corpus dropped.
 */
export function buildHeldoutText(options: CorpusOptions, trainLines: ReadonlySet<string>, facts: readonly FactRecord[]): string {
  const rng = createRng(subSeed(options.seed, 'heldout'));
  const lines: string[] = [];
  for (let i = 0; i < options.heldoutReasoningItems; i++) lines.push(reasoningLine(reasoningItem(rng)));
  const two = new Map<string, number>(OCCUPATIONS.map((w) => [w, 2]));
  const one = new Map<string, number>(HOBBIES.map((w) => [w, 1]));
  for (const p of peopleLines(two, one, rng)) lines.push(p.text);
  const common = facts.filter((f) => f.count >= 20);
  for (let i = 0; i < 80; i++) {
    const f = rng.pick(common);
    lines.push(factLines(f, 1, rng).lines[0].text);
  }
  const fresh = shuffled(lines, rng).filter((l) => !trainLines.has(l));
  return chunk(fresh, options.linesPerDoc).map((d) => d.join('\n')).join('\n\n') + '\n';
}
