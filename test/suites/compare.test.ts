import { suite } from 'uvu';
import * as assert from 'uvu/assert';
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

test.run();
