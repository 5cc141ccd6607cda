import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../core/run-record.js';
import { headerDiff, headerUnchanged } from '../../../reports/compare/header-diff.js';
import { syntheticRecord, type SyntheticRun } from './synthetic-run.js';

const test = suite('reports/compare/header-diff');

const base: SyntheticRun = {
  runId: 'night-1',
  cells: { base: { qa: { acc: { value: 0.5 } } }, q4: { qa: { acc: { value: 0.4 } } } },
  suites: [{ id: 'qa', metrics: ['acc'] }, { id: 'ppl', metrics: ['perplexity'] }],
};
const record = (run: SyntheticRun): RunRecord => syntheticRecord(run) as unknown as RunRecord;

test('the same header: nothing to report', () => {
  const d = headerDiff(record(base), record({ ...base, runId: 'night-2' }));
  assert.ok(headerUnchanged(d));
});

test('harness, config, hardware, suite and model hash changes are listed', () => {
  const a = record({ ...base, variants: [{ id: 'base' }, { id: 'q4', modelSha256: '1'.repeat(64) }, { id: 'old' }] });
  const b = record({
    ...base,
    runId: 'night-2',
    gitSha: 'def5678',
    version: '0.2.0',
    config: { seed: 1, limit: 10 },
    cpuModel: 'Other CPU',
    suites: [{ id: 'qa', metrics: ['acc'], hash: 'f'.repeat(64) }, { id: 'new', metrics: ['acc'] }],
    variants: [{ id: 'base' }, { id: 'q4', modelSha256: '2'.repeat(64) }],
  });
  const d = headerDiff(a, b);
  assert.not.ok(headerUnchanged(d));
  assert.equal(d.harness, [
    { path: '$.gitSha', a: 'abc1234', b: 'def5678' },
    { path: '$.version', a: '0.1.0', b: '0.2.0' },
  ]);
  assert.equal(d.config, [{ path: '$.limit', a: 5, b: 10 }]);
  assert.equal(d.hardware, [{ path: '$.cpuModel', a: 'Test CPU', b: 'Other CPU' }]);
  assert.equal(d.suites, [
    { id: 'qa', change: 'changed', a: 'b'.repeat(64), b: 'f'.repeat(64) },
    { id: 'ppl', change: 'only-a', a: 'b'.repeat(64), b: null },
    { id: 'new', change: 'only-b', a: null, b: 'b'.repeat(64) },
  ]);
  assert.equal(d.variants, [
    { id: 'q4', change: 'changed', a: '1'.repeat(64), b: '2'.repeat(64) },
    { id: 'old', change: 'only-a', a: 'a'.repeat(64), b: null },
  ]);
  assert.is(d.baseline, null);
});

test.run();
