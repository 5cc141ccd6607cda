/** Helpers for matrix tests: tiny suites over stories260k and config files in temp dirs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath } from '../../../core/paths.js';
import { compileSchema } from '../../../core/schemas/index.js';
import { tempDir } from '../fixtures.js';

/** A rolling suite over the TinyStories sample (5 stories) and a 2-item multiple-choice suite. */
export function writeTinySuites(externalDir: string): { ppl: string; mc: string } {
  const stories = readFileSync(join(externalDir, 'datasets', 'tinystories_sample.txt'), 'utf8').split('<|endoftext|>').map((s) => s.trim()).filter(Boolean);
  const ppl = tempDir('suite-ppl');
  writeFileSync(join(ppl, 'data.jsonl'), stories.map((text, i) => JSON.stringify({ id: `s${i}`, text })).join('\n') + '\n');
  writeFileSync(join(ppl, 'suite.json'), JSON.stringify({ id: 'stories-ppl', version: '1', description: 'TinyStories sample', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity'] }));
  const mc = tempDir('suite-mc');
  const rows = [
    { id: 'a', question: 'Once upon a', choices: [' time', ' banana'], answer: 0 },
    { id: 'b', question: 'The little girl was very', choices: [' happy', ' concrete'], answer: 0 },
  ];
  writeFileSync(join(mc, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(mc, 'suite.json'), JSON.stringify({ id: 'stories-mc', version: '1', description: 'two items', dataset: 'data.jsonl', kind: 'multiple_choice', template: '{question}', choicesField: 'choices', answerField: 'answer', metrics: ['acc'] }));
  return { ppl, mc };
}

/** Rows of a tiny multiple-choice suite that needs no ../shared (bundled models answer them). */
export const TINY_MC_ROWS = [
  { id: 'a', question: 'One plus one is', choices: [' two', ' seven'], answer: 0 },
  { id: 'b', question: 'The capital of France is', choices: [' Paris', ' banana'], answer: 0 },
] as const;

/** A multiple-choice suite 'tiny-mc' of `rows` in a new temp dir; returns the folder. */
export function writeMcSuite(rows: readonly object[]): string {
  const dir = tempDir('suite-mc');
  writeFileSync(join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ id: 'tiny-mc', version: '1', description: `${rows.length} item(s)`, dataset: 'data.jsonl', kind: 'multiple_choice', template: '{question}', choicesField: 'choices', answerField: 'answer', metrics: ['acc'] }));
  return dir;
}

/** Writes a config object as pretty JSON into a new temp dir; returns its path. */
export function writeConfig(config: object, text?: string): string {
  const file = join(tempDir('config'), 'config.json');
  writeFileSync(file, text ?? `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** The message of the InputError `fn` throws (fails the test when it throws nothing or something else). */
export function inputErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.instance(e, InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

/** The run record's problems against core/schemas/run-record.schema.json (empty: it passes). */
export function recordSchemaProblems(record: object): unknown[] {
  const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as object;
  return compileSchema(schema)(JSON.parse(JSON.stringify(record)), { file: 'run.json' });
}

/** The log-probabilities a run wrote for one variant's instances (instances.jsonl, in file order). */
export function variantLogprobs(outDir: string, variantId: string): number[] {
  return readFileSync(join(outDir, 'instances.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { variantId: string; outcome: { logprobs?: number[] } })
    .filter((x) => x.variantId === variantId)
    .flatMap((x) => x.outcome.logprobs ?? []);
}
