/**
 * Builds every bundled suite from the corpus (built in memory with the corpus' own
 * code) and serializes them to the files committed under `suites/`. Pure: no file I/O
 * here (see `build-suites.ts`). Same corpus, same bytes.
 */
import type { Corpus } from '../corpus/build.js';
import { indexCorpus } from './corpus-index.js';
import { fairnessSuite } from './fairness.js';
import { fairnessPairsSuite } from './fairness-pairs.js';
import { fairnessPeopleSuite } from './fairness-people.js';
import { knowledgeSuites, sampleKnowledgeFacts } from './knowledge.js';
import { perplexitySuite } from './perplexity.js';
import { rareWordsSuite } from './rare-words.js';
import { reasoningSuite } from './reasoning.js';
import { suitesReadme } from './readme.js';
import type { BuiltSuite } from './types.js';
import type { WordTokenCounter } from './word-tokens.js';

/** Ids of the bundled suites, in README order. */
export const BUNDLED_SUITE_IDS = [
  'knowledge-closed',
  'knowledge-open',
  'rare-words',
  'reasoning',
  'fairness',
  'fairness-people',
  'fairness-pairs',
  'perplexity',
] as const;

/** Every bundled suite, in {@link BUNDLED_SUITE_IDS} order. Seeds derive from the corpus seed; `words` counts target-word tokens for the rare-words chance level. */
export function buildSuites(corpus: Corpus, words: WordTokenCounter): BuiltSuite[] {
  const seed = corpus.options.seed;
  const index = indexCorpus(corpus);
  const [closed, open] = knowledgeSuites(corpus.facts, seed);
  return [
    closed,
    open,
    rareWordsSuite(corpus.targets, index, seed, words),
    reasoningSuite(index, seed),
    fairnessSuite(sampleKnowledgeFacts(corpus.facts, seed), seed),
    fairnessPeopleSuite(index, seed),
    fairnessPairsSuite(index, seed),
    perplexitySuite(corpus.heldoutText, corpus.docs.join('\n')),
  ];
}

/** suite.json text: the spec, 2-space indented, with a final newline. */
export function suiteJsonText(suite: BuiltSuite): string {
  return JSON.stringify(suite.spec, null, 2) + '\n';
}

/** data.jsonl text: one row per line, with a final newline. */
export function dataJsonlText(suite: BuiltSuite): string {
  return suite.rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/**
 * Every file the builder writes, keyed by its path relative to `suites/`:
 * `<id>/suite.json`, `<id>/data.jsonl` and `README.md`.
 */
export function suiteFiles(suites: readonly BuiltSuite[], corpusSha256: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of suites) {
    files.set(`${s.id}/suite.json`, suiteJsonText(s));
    files.set(`${s.id}/data.jsonl`, dataJsonlText(s));
  }
  files.set('README.md', suitesReadme(suites, corpusSha256));
  return files;
}
