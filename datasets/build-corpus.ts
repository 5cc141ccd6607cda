/**
 * CLI: builds the bundled corpus, tokenizer and training ids.
 *
 *   node dist/datasets/build-corpus.js [--seed N] [--out DIR]
 *
 * Writes, under DIR (default datasets/corpus): facts.jsonl, word-counts.json,
 * heldout-text.txt, manifest.json, tokenizer/{tokenizer.json, tokenizer_config.json,
 * special_tokens_map.json}, and the git-ignored build/{corpus.txt, lines.jsonl, train.u16,
 * heldout.u16, eval-items.jsonl}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, isCompbenchError, messageOf } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { buildCorpus, type Corpus, DEFAULT_CORPUS_OPTIONS } from './corpus/build.js';
import { evalItems } from './corpus/eval-items.js';
import { corpusText, factBuckets, factsJsonl, sha256Hex, sliceCounts, wordCountsJson } from './corpus/serialize.js';
import { sourcePackages } from './facts/sources.js';
import { trainBpe, SPECIAL_TOKENS } from './tokenizer/bpe-train.js';
import { encodeDocs, runtimeTokenizer, uint16LeBytes } from './tokenizer/encode-corpus.js';
import { specialTokensMap, tokenizerConfig, tokenizerJson } from './tokenizer/tokenizer-json.js';

/** Vocabulary size of the bundled tokenizer, special tokens included. */
export const VOCAB_SIZE = 2048;
/** Context length the models are trained and configured for. */
export const MAX_LENGTH = 256;

/** Parses `--seed N` and `--out DIR`. */
export function parseArgs(argv: readonly string[]): { seed: number; outDir: string } {
  let seed = DEFAULT_CORPUS_OPTIONS.seed;
  let outDir = packagePath('datasets', 'corpus');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InputError(`--seed must be an integer in [0, 2^32-1], got ${argv[i]}`);
    } else if (argv[i] === '--out') {
      outDir = argv[++i] ?? '';
      if (!outDir) throw new InputError('--out needs a folder path');
    } else throw new InputError(`unknown argument ${argv[i]}; usage: build-corpus [--seed N] [--out DIR]`);
  }
  return { seed, outDir };
}

/** Writes every artifact of `corpus` under `outDir` and returns the manifest. */
export function writeCorpus(corpus: Corpus, outDir: string): Record<string, unknown> {
  const build = join(outDir, 'build');
  const tokDir = join(outDir, 'tokenizer');
  mkdirSync(build, { recursive: true });
  mkdirSync(tokDir, { recursive: true });
  const text = corpusText(corpus);
  writeFileSync(join(build, 'corpus.txt'), text);
  writeFileSync(join(build, 'lines.jsonl'), corpus.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const facts = factsJsonl(corpus);
  writeFileSync(join(outDir, 'facts.jsonl'), facts);
  writeFileSync(join(outDir, 'word-counts.json'), wordCountsJson(corpus));
  writeFileSync(join(outDir, 'heldout-text.txt'), corpus.heldoutText);

  const bpe = trainBpe(corpus.docs, VOCAB_SIZE);
  const tj = tokenizerJson(bpe);
  const tc = tokenizerConfig(bpe, MAX_LENGTH);
  const tjText = JSON.stringify(tj, null, 1) + '\n';
  writeFileSync(join(tokDir, 'tokenizer.json'), tjText);
  writeFileSync(join(tokDir, 'tokenizer_config.json'), JSON.stringify(tc, null, 2) + '\n');
  writeFileSync(join(tokDir, 'special_tokens_map.json'), JSON.stringify(specialTokensMap(), null, 2) + '\n');

  const tok = runtimeTokenizer(tj, tc);
  const eos = bpe.vocab.get(SPECIAL_TOKENS[2]) as number;
  const ids = encodeDocs(tok, corpus.docs, eos);
  const idBytes = uint16LeBytes(ids);
  writeFileSync(join(build, 'train.u16'), idBytes);
  // Evaluation inputs for the Python card scripts, tokenized by the runtime tokenizer.
  const heldoutDocs = corpus.heldoutText.split('\n\n').map((d) => d.trim()).filter((d) => d);
  writeFileSync(join(build, 'heldout.u16'), uint16LeBytes(encodeDocs(tok, heldoutDocs, eos)));
  writeFileSync(join(build, 'eval-items.jsonl'), evalItems(corpus.facts).map((it) => JSON.stringify({ ...it, ids: tok.encode(it.prompt).ids })).join('\n') + '\n');
  const manifest = {
    seed: corpus.options.seed,
    options: corpus.options,
    packages: sourcePackages(),
    corpus: { file: 'build/corpus.txt', sha256: sha256Hex(text), bytes: Buffer.byteLength(text), docs: corpus.docs.length, lines: corpus.lines.length },
    tokens: { file: 'build/train.u16', sha256: sha256Hex(idBytes), count: ids.length, format: 'uint16 little-endian; each document is <s> … </s>' },
    tokenizer: { vocabSize: bpe.vocab.size, merges: bpe.merges.length, sha256: sha256Hex(tjText), special: { pad: 0, bos: 1, eos: 2 } },
    facts: { file: 'facts.jsonl', sha256: sha256Hex(facts), total: corpus.facts.length, byBucket: factBuckets(corpus) },
    heldoutText: { file: 'heldout-text.txt', sha256: sha256Hex(corpus.heldoutText), bytes: Buffer.byteLength(corpus.heldoutText) },
    slices: sliceCounts(corpus),
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Entry point. */
export function main(argv: readonly string[]): number {
  try {
    const { seed, outDir } = parseArgs(argv);
    const started = Date.now();
    const manifest = writeCorpus(buildCorpus({ ...DEFAULT_CORPUS_OPTIONS, seed }), outDir);
    const m = manifest as { corpus: { sha256: string; docs: number }; tokens: { count: number } };
    console.log(`corpus ${m.corpus.sha256.slice(0, 12)}: ${m.corpus.docs} docs, ${m.tokens.count} tokens -> ${outDir} (${Date.now() - started} ms)`);
    return 0;
  } catch (e) {
    if (isCompbenchError(e)) {
      console.error(messageOf(e));
      return e.exitCode;
    }
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
