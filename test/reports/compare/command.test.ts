import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunComparison } from '../../../reports/compare/compare-runs.js';
import { tempDir, writeRunDir, type SyntheticRun } from './synthetic-run.js';
import { cli, assertOneLineError } from '../../cli-helpers.js';

const test = suite('reports/compare/command (CLI)');

const run = (runId: string, acc: number): SyntheticRun => ({ runId, cells: { base: { qa: { acc: { value: acc } } } } });
const lines = (scores: number[]) => scores.map((acc, i) => ({ variantId: 'base', suiteId: 'qa', instanceId: `q${i}`, scores: { acc } }));

test('compare A B: exit 0, text and --json', () => {
  const root = tempDir('cli-compare');
  const a = writeRunDir(join(root, 'a'), run('a', 0.5), lines([1, 0, 1, 0]));
  const b = writeRunDir(join(root, 'b'), { ...run('b', 0.25), config: { seed: 2, limit: 5 } }, lines([0, 0, 1, 0]));
  const text = cli('compare', a, b);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /\$\.seed: 1 -> 2/);
  assert.match(text.stdout, /flips 1↓ 0↑ McNemar p=1\.00/);
  const json = cli('compare', a, b, '--json');
  assert.is(json.code, 0, json.stderr);
  const c = JSON.parse(json.stdout) as RunComparison;
  assert.is(c.cells[0].delta, -0.25);
  assert.is(c.cells[0].paired?.pairing.matched, 4);
  assert.equal(c.header.config, [{ path: '$.seed', a: 1, b: 2 }]);
});

test('invalid input: one line, exit 2', () => {
  const root = tempDir('cli-compare-bad');
  const good = writeRunDir(join(root, 'good'), run('g', 0.5));
  assertOneLineError(cli('compare', join(root, 'absent'), good), /absent: run folder not found/);
  assertOneLineError(cli('compare', good), /expected two run folders RUN_A RUN_B, got 1/);
  assertOneLineError(cli('compare', good, good, '--bogus'), /Unknown option '--bogus'/);
  assertOneLineError(cli('compare', root, good), /run\.json: file not found/);

  const missingField = writeRunDir(join(root, 'missing'), run('m', 0.5));
  const record = JSON.parse(readFileSync(join(missingField, 'run.json'), 'utf8')) as Record<string, unknown>;
  delete record.runId;
  writeFileSync(join(missingField, 'run.json'), JSON.stringify(record));
  assertOneLineError(cli('compare', good, missingField), /invalid run record: .*run\.json(:\d+)?: \$: missing required field 'runId'/);

  const newer = writeRunDir(join(root, 'newer'), run('n', 0.5));
  writeFileSync(join(newer, 'run.json'), JSON.stringify({ ...record, runId: 'n', schemaVersion: 7 }));
  assertOneLineError(cli('compare', good, newer), /schemaVersion 7 is newer than this compbench reads \(1\); upgrade compbench/);

  const malformed = writeRunDir(join(root, 'malformed'), run('x', 0.5));
  writeFileSync(join(malformed, 'run.json'), '{"schemaVersion": 1,');
  assertOneLineError(cli('compare', good, malformed), /malformed JSON/);

  const badLines = writeRunDir(join(root, 'bad-lines'), run('y', 0.5));
  writeFileSync(join(badLines, 'instances.jsonl'), '{"variantId":"base","suiteId":"qa","instanceId":"q0","state":"scored","scores":{}}\n');
  assertOneLineError(cli('compare', good, badLines), /instances\.jsonl:1: field 'instanceHash' must be a string/);
});

test.run();
