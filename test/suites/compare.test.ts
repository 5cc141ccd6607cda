import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../core/rng.js';
import { clustersOf, flipStats, pairedDelta, summarizeScores } from '../../core/stats/index.js';
import { aggregateRecords } from '../../suites/aggregate.js';
import { compareRecords } from '../../suites/compare.js';
import type { InstanceRecord } from '../../suites/score.js';

const test = suite('suites/compare');

const rolling = (id: string, nllSum: number, tokenCount: number, hash = id): InstanceRecord => ({
  suiteId: 's', instanceId: id, instanceHash: hash, tags: {}, state: 'scored',
  outcome: { kind: 'rolling', nllSum, tokenCount, byteCount: 10, targets: [] },
  scores: { perplexity: Math.exp(nllSum / tokenCount) }, reasons: {},
});

test('perplexity Δ is of the corpus-level ratio, paired by id and content hash', () => {
  const base = [rolling('a', 10, 5), rolling('b', 20, 10), rolling('c', 1, 1)];
  const vari = [rolling('a', 15, 5), rolling('b', 30, 10), rolling('c', 1, 1, 'changed')];
  const cmp = compareRecords(base, vari, ['perplexity'], { seed: 3 });
  assert.is(cmp.paired, 2);
  assert.is(cmp.unpaired, 1);
  const d = cmp.metrics.perplexity!.delta;
  // exp(45/15) − exp(30/15) = e³ − e²; both instances have the same per-token ratio, so the interval collapses.
  assert.ok(Math.abs(d.delta - (Math.exp(3) - Math.exp(2))) < 1e-9);
  assert.ok(Math.abs(d.low - d.delta) < 1e-9 && Math.abs(d.high - d.delta) < 1e-9);
  assert.is(cmp.metrics.perplexity!.flips, null);
  assert.is(cmp.choiceKL, null);
});

const choice = (i: number, right: boolean, groupId?: string): InstanceRecord => ({
  suiteId: 'people', instanceId: `i${i}`, instanceHash: `h${i}`, tags: { naming: i % 2 === 0 ? 'given' : 'family' }, state: 'scored',
  ...(groupId === undefined ? {} : { groupId }),
  outcome: { kind: 'multiple_choice', logprobs: right ? [-1, -2] : [-2, -1], choices: ['a', 'b'], gold: 0 },
  scores: { acc: right ? 1 : 0 }, reasons: {},
});

test('records sharing a group id: Δ resamples groups, flips add the test over groups, aggregates record the effective n', () => {
  const rng = createRng(6);
  const group = (i: number): string => `item${Math.floor(i / 12)}`;
  const baseRight = Array.from({ length: 240 }, (_, i) => Math.floor(i / 12) % 5 !== 0);
  const variRight = baseRight.map((r, i) => (Math.floor(i / 12) % 7 === 1 ? rng.next() < 0.3 : r));
  const base = baseRight.map((r, i) => choice(i, r, group(i)));
  const vari = variRight.map((r, i) => choice(i, r, group(i)));
  const cmp = compareRecords(base, vari, ['acc'], { seed: 4, resamples: 400 });
  const clusters = clustersOf(base.map((_, i) => group(i)));
  const b = baseRight.map(Number);
  const v = variRight.map(Number);
  assert.equal(cmp.metrics.acc!.delta, pairedDelta(b, v, { seed: 4, resamples: 400, clusters }));
  assert.equal(cmp.metrics.acc!.flips, flipStats(b, v, clusters));
  assert.is(cmp.metrics.acc!.flips!.clustered!.groups, 20);
  const agg = aggregateRecords({ spec: { id: 'people', version: '1', dataset: 'd', kind: 'multiple_choice', metrics: ['acc'], slices: ['naming'] }, hash: 'x' }, vari, { seed: 1 });
  const overall = agg.metrics.acc!.overall;
  assert.equal(overall, summarizeScores(v, { kind: 'proportion', clusters }));
  assert.is(overall.clustering!.groups, 20);
  assert.ok(overall.clustering!.nEffective < 240);
  const given = agg.metrics.acc!.slices[0].slices.find((s) => s.slice === 'given')!;
  assert.is(given.n, 120);
  assert.is(given.clustering!.groups, 20, 'a slice keeps the groups of its members');
  const flat = compareRecords(base.map(({ groupId: _g, ...r }) => r), vari.map(({ groupId: _g, ...r }) => r), ['acc'], { seed: 4, resamples: 400 });
  assert.is(flat.metrics.acc!.delta.clustering, undefined);
  assert.is(flat.metrics.acc!.flips!.clustered, undefined);
});

test.run();
