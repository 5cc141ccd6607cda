/**
 * CLI: builds the bundled suites from the bundled corpus.
 *
 *   node dist/datasets/build-suites.js [--out DIR] [--check]
 *
 * Rebuilds the corpus in memory (default seed), checks that it is the corpus the
 * committed manifest describes, and writes `<id>/suite.json`, `<id>/data.jsonl` and
 * `README.md` under DIR (default `suites/`), then the TinyStories suites of
 * stories260K from the stories in `datasets/tinystories/`. With `--check` nothing is written: exit 1
 * when a file under DIR differs from what the builder makes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InfraError, InputError, isCompbenchError, messageOf } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { buildCorpus, DEFAULT_CORPUS_OPTIONS } from './corpus/build.js';
import { corpusText, sha256Hex } from './corpus/serialize.js';
import { buildSuites, dataJsonlText, suiteFiles, suiteJsonText } from './suites/build.js';
import { sampleStories, storyClozeSuite, storyParagraphs, storyPerplexitySuite } from './suites/tinystories.js';
import { bundledWordTokenCounter } from './suites/word-tokens.js';

/** Parses `--out DIR` and `--check`. */
export function parseArgs(argv: readonly string[]): { outDir: string; check: boolean } {
  let outDir = packagePath('suites');
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--out') {
      outDir = argv[++i] ?? '';
      if (!outDir) throw new InputError('--out needs a folder path');
    } else throw new InputError(`unknown argument ${argv[i]}; usage: build-suites [--out DIR] [--check]`);
  }
  return { outDir, check };
}

/** The bundled suites' files (path relative to the suites folder → text), from the corpus built in memory. */
export function bundledSuiteFiles(): Map<string, string> {
  const corpus = buildCorpus(DEFAULT_CORPUS_OPTIONS);
  const sha = sha256Hex(corpusText(corpus));
  const manifest = JSON.parse(readFileSync(packagePath('datasets', 'corpus', 'manifest.json'), 'utf8')) as { corpus: { sha256: string } };
  if (sha !== manifest.corpus.sha256) {
    throw new InfraError(`the corpus code builds ${sha.slice(0, 12)}… but datasets/corpus/manifest.json says ${manifest.corpus.sha256.slice(0, 12)}… — rebuild the corpus (build-corpus) before the suites`);
  }
  return suiteFiles(buildSuites(corpus, bundledWordTokenCounter()), sha);
}

/** The TinyStories suites' files (path relative to the suites folder → text), from `datasets/tinystories/`. */
export function storySuiteFiles(): Map<string, string> {
  const read = (name: string): string => readFileSync(packagePath('datasets', 'tinystories', name), 'utf8');
  const suites = [
    storyPerplexitySuite(storyParagraphs(read('perplexity-stories.txt')), sampleStories(read('tinystories_sample.txt'))),
    storyClozeSuite(storyParagraphs(read('cloze-stories.txt'))),
  ];
  return new Map(suites.flatMap((s) => [[`${s.id}/suite.json`, suiteJsonText(s)], [`${s.id}/data.jsonl`, dataJsonlText(s)]] as const));
}

/** Entry point. */
export function main(argv: readonly string[]): number {
  try {
    const { outDir, check } = parseArgs(argv);
    const files = new Map([...bundledSuiteFiles(), ...storySuiteFiles()]);
    if (check) {
      const stale = [...files].filter(([rel, text]) => !existsSync(join(outDir, rel)) || readFileSync(join(outDir, rel), 'utf8') !== text).map(([rel]) => rel);
      console.log(stale.length === 0 ? `${files.size} suite files up to date in ${outDir}` : `out of date in ${outDir}: ${stale.join(', ')} — run build-suites`);
      return stale.length === 0 ? 0 : 1;
    }
    for (const [rel, text] of files) {
      mkdirSync(dirname(join(outDir, rel)), { recursive: true });
      writeFileSync(join(outDir, rel), text);
    }
    console.log(`wrote ${files.size} files -> ${outDir}`);
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
