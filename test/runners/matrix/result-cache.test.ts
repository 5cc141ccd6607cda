import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendResults, readResults, resultFile } from '../../../runners/matrix/result-cache.js';
import type { InstanceRecord } from '../../../suites/index.js';
import { tempDir } from '../fixtures.js';

const test = suite('runners/matrix/result-cache');

const hash = (id: string): string => id.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a').slice(0, 64);

const rec = (id: string, score: number): InstanceRecord => ({
  state: 'scored', suiteId: 's', instanceId: id, instanceHash: hash(id), tags: {}, outcome: { kind: 'generate', text: 'x', finishReason: 'eos', generatedTokens: 2, maxNewTokens: 8, answers: ['x'] }, scores: { acc: score }, reasons: {},
});

test('append, read back, skip errored records of a failed shard and a line torn by a kill', () => {
  const file = resultFile(tempDir('cache'), 'v', 's');
  appendResults(file, [rec('a', 1), { state: 'errored', suiteId: 's', instanceId: 'e', instanceHash: hash('e'), tags: {}, error: 'boom', isFatal: false }]);
  appendFileSync(file, '{"state":"scored","instanceId":"b","sco'); // kill -9 in the middle of a write
  appendResults(file, [rec('c', 0)]);
  const got = readResults(file);
  assert.equal([...got.records.keys()], ['a', 'c']);
  assert.is(got.rejected, 1, 'the torn line is counted');
  assert.is(readFileSync(file, 'utf8').split('\n').length, 4, 'the torn line was closed, not glued to the next record');
  assert.is(join(file), file);
});

test('a full disk is an InputError naming the file', () => {
  if (!existsSync('/dev/full')) return;
  assert.throws(() => appendResults('/dev/full', [rec('a', 1)]), (e: Error) => e instanceof InputError && /\/dev\/full: .*ENOSPC/.test(e.message));
});

test('non-fatal instance errors of a working shard are cached; fatal ones never', () => {
  const file = resultFile(tempDir('cache'), 'v', 's');
  const err = (id: string, isFatal: boolean): InstanceRecord => ({ state: 'errored', suiteId: 's', instanceId: id, instanceHash: hash(id), tags: {}, error: 'too long', isFatal });
  appendResults(file, [err('long', false), err('infra', true), rec('a', 1)], true);
  assert.equal([...readResults(file).records.keys()], ['long', 'a']);
});

test('the cache is untrusted: lines that break the instance schema, carry another suite or a non-finite score are rejected and counted', () => {
  const file = resultFile(tempDir('cache'), 'v', 's');
  appendResults(file, [rec('a', 1), rec('b', 0), rec('c', 1)]);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const edited = [
    lines[0].replace('"scores":{"acc":1}', '"scores":"lol"'),
    lines[1].replace('"suiteId":"s"', '"suiteId":"other"'),
    lines[2],
    JSON.stringify({ ...rec('d', 1), scores: { acc: null } }),
    JSON.stringify({ ...rec('e', 1), instanceHash: 'not-a-hash' }),
  ];
  writeFileSync(file, `${edited.join('\n')}\n`);
  const got = readResults(file, 's');
  assert.equal([...got.records.keys()], ['c']);
  assert.is(got.rejected, 4);
  assert.match(got.firstProblem ?? '', /:1: \$\.scores/);
});

test('a generation cached before lengths were recorded is not served (recomputed, not counted as rejected)', () => {
  const file = resultFile(tempDir('cache'), 'v', 's');
  const old = { ...rec('old', 1), outcome: { kind: 'generate' as const, text: 'x', finishReason: 'eos', answers: ['x'] } };
  appendResults(file, [old, rec('new', 1)]);
  const got = readResults(file);
  assert.equal([...got.records.keys()], ['new']);
  assert.is(got.rejected, 0);
});

test.run();
