/**
 * Perplexity and bits per byte on the held-out text (`heldout-text.txt`): documents
 * the corpus builder made from its generators on an independent seed, with every line
 * that occurs in the training corpus removed.
 */
import { byteUnigramBitsPerByte } from './chance.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** Documents taken from the held-out text, in file order. */
export const PERPLEXITY_DOCS = 60;

/** The held-out text's documents (separated by a blank line), trimmed, non-empty. */
export function heldoutDocuments(heldoutText: string): string[] {
  return heldoutText.split('\n\n').map((d) => d.trim()).filter((d) => d !== '');
}

/** The `perplexity` suite. */
export function perplexitySuite(heldoutText: string, trainingText: string): BuiltSuite {
  const docs = heldoutDocuments(heldoutText);
  const rows: SuiteRow[] = docs.slice(0, PERPLEXITY_DOCS).map((text, i) => ({ id: `doc-${String(i).padStart(2, '0')}`, text }));
  return {
    id: 'perplexity',
    spec: {
      id: 'perplexity',
      version: '1.0.0',
      description:
        `Perplexity and bits per byte on the first ${rows.length} of the ${docs.length} documents of datasets/corpus/heldout-text.txt (corpus-style text on an independent seed); ratio of sums with a bootstrap CI. ` +
        `n=${rows.length} documents. Perplexity hides knowledge loss: read it beside knowledge-closed.`,
      dataset: 'data.jsonl',
      kind: 'rolling',
      role: 'perplexity',
      metrics: ['perplexity', 'bits_per_byte'],
      chance: {
        metric: 'bits_per_byte',
        value: Math.round(byteUnigramBitsPerByte(trainingText, rows.map((r) => r.text).join('\n\n')) * 1e4) / 1e4,
        how: 'a byte-unigram model of the training text (add-one smoothing over 256 byte values): lower is better, so a model beats chance by scoring below it',
      },
    },
    rows,
    heldOut: 'heldout-text.txt is generated on `subSeed(seed, "heldout")` and the corpus builder drops every line that is also a training line; a test re-checks each line against the corpus built in memory.',
    countedTags: [],
    binary: false,
  };
}
