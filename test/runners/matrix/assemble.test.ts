import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assembleCells, stableView, type CellOutcome } from '../../../runners/matrix/assemble.js';
import type { InstanceRecord, LoadedSuite } from '../../../suites/index.js';

const test = suite('runners/matrix/assemble');

const suiteOf = (ids: string[]): LoadedSuite =>
  ({ spec: { id: 's', version: '1', dataset: 'd', kind: 'generate', metrics: ['exact_match'] }, file: '/s/suite.json', dir: '/s', template: [], instances: ids.map((id) => ({ id, line: 1, fields: {}, tags: {}, hash: `h${id}` })), shots: new Map(), hash: 'sh' }) as unknown as LoadedSuite;
const rec = (id: string, score: number): InstanceRecord => ({ state: 'scored', suiteId: 's', instanceId: id, instanceHash: `h${id}`, tags: {}, outcome: { kind: 'generate', text: 't' } as never, scores: { exact_match: score }, reasons: {} });

test('records are put in instance order; a cell missing an instance is errored (fail-closed)', () => {
  const s = suiteOf(['a', 'b', 'c']);
  const outcomes: Record<string, CellOutcome> = {
    base: { state: 'ok', records: new Map([['c', rec('c', 1)], ['a', rec('a', 1)], ['b', rec('b', 0)]]), durationMs: 5 },
    v: { state: 'ok', records: new Map([['a', rec('a', 0)], ['b', rec('b', 0)]]), durationMs: 5 },
    w: { state: 'ok', records: new Map([['b', rec('b', 1)], ['a', rec('a', 0)], ['c', rec('c', 1)]]), durationMs: 5 },
  };
  const { cells, lines } = assembleCells(['base', 'v', 'w'], (id) => (id === 'base' ? undefined : 'base'), [s], (v) => outcomes[v], 1);
  assert.equal(lines.filter((l) => l.variantId === 'base').map((l) => l.instanceId), ['a', 'b', 'c']);
  assert.equal(cells.map((c) => c.state), ['ok', 'errored', 'ok']);
  assert.is(cells[1].state === 'errored' ? cells[1].error : '', '1 of 3 instances have no result');
  const w = cells[2];
  // base 1,0,1 vs w 0,1,1: Δ = (2-2)/3 = 0, one flip each way
  const d = w.state === 'ok' ? (w.vsBaseline?.metrics as Record<string, { delta: { delta: number; n: number } }>).exact_match.delta : undefined;
  assert.equal([d?.delta, d?.n], [0, 3]);
});

test('the stable view drops only the volatile fields', () => {
  const r = { runId: 'x', createdAt: 't', measurements: [], config: { a: 1 }, cells: [{ variantId: 'v', durationMs: 3, state: 'ok' }] };
  assert.equal(stableView(r), { config: { a: 1 }, cells: [{ variantId: 'v', state: 'ok' }] });
});

test.run();
