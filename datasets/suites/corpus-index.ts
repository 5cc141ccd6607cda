/**
 * The training corpus as the suite builders check it: every line, and the whole text
 * for substring tests, so that no question or held-out text of a suite is in it.
 */
import type { Corpus } from '../corpus/build.js';
import { corpusText } from '../corpus/serialize.js';

/** Membership tests against the training corpus. */
export interface CorpusIndex {
  /** Every training line (a QA line holds its "\nThe answer is …" part). */
  readonly lines: ReadonlySet<string>;
  /** The full training text (documents joined as in corpus.txt). */
  readonly text: string;
}

/** Indexes a corpus built in memory with `buildCorpus`. */
export function indexCorpus(corpus: Corpus): CorpusIndex {
  return { lines: new Set(corpus.lines.map((l) => l.text)), text: corpusText(corpus) };
}

/** True when `snippet` occurs verbatim anywhere in the training text. */
export function occursInCorpus(index: CorpusIndex, snippet: string): boolean {
  return index.text.includes(snippet);
}
