import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../core/rng.js';
import { generateKind } from '../../suites/kinds/generate.js';
import { generationLengths, type InstanceRecord } from '../../suites/index.js';

const test = suite('suites/generation-lengths');

function scored(i: number, generatedTokens: number | undefined, finishReason: string): InstanceRecord {
  const outcome = { kind: 'generate' as const, text: 'x', finishReason, answers: ['x'], ...(generatedTokens === undefined ? {} : { generatedTokens, maxNewTokens: 16 }) };
  return { suiteId: 's', instanceId: `i${i}`, instanceHash: '0'.repeat(64), tags: {}, state: 'scored', outcome, scores: { contains: 1 }, reasons: {} };
}

/** Type 7 percentile written out on a sorted copy (R's default): x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)q. */
function percentile(values: readonly number[], q: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * q;
  const lo = Math.floor(h);
  return x[lo] + (h - lo) * ((x[lo + 1] ?? x[lo]) - x[lo]);
}

test('lengths 1..20: median 10.5, p95 19.05, mean 10.5, max 20 (by hand)', () => {
  const g = generationLengths(Array.from({ length: 20 }, (_, i) => scored(i, 20 - i, i < 3 ? 'length' : 'eos')));
  assert.equal([g.n, g.medianTokens, g.meanTokens, g.maxTokens], [20, 10.5, 10.5, 20]);
  assert.ok(Math.abs(g.p95Tokens - 19.05) < 1e-12);
  assert.equal([g.hitLimit, g.hitLimitRate], [3, 0.15]);
  assert.equal(g.finishReasons, { eos: 17, length: 3 });
});

test('random lengths (seed 5): median and p95 equal a sort, hit-limit share equals a count; errored and unrecorded are counted apart', () => {
  const rng = createRng(5);
  const records: InstanceRecord[] = [];
  const lengths: number[] = [];
  let limit = 0;
  for (let i = 0; i < 137; i++) {
    const n = Math.floor(rng.next() * 64);
    const reason = n === 63 || rng.next() < 0.2 ? 'length' : rng.next() < 0.5 ? 'stop' : 'eos';
    if (reason === 'length') limit++;
    lengths.push(n);
    records.push(scored(i, n, reason));
  }
  records.push({ suiteId: 's', instanceId: 'bad', instanceHash: '0'.repeat(64), tags: {}, state: 'errored', error: 'non-finite', isFatal: false });
  records.push(scored(999, undefined, 'eos'));
  const g = generationLengths(records);
  assert.is(g.n, 137);
  assert.is(g.medianTokens, percentile(lengths, 0.5));
  assert.is(g.p95Tokens, percentile(lengths, 0.95));
  assert.is(g.hitLimit, limit);
  assert.is(g.hitLimitRate, limit / 137);
  assert.equal([g.errored, g.unrecorded], [1, 1]);
});

test('a generate instance records its tokens generated (EOS included) and the suite\'s token limit', () => {
  const spec = { id: 's', version: '1', dataset: 'd.jsonl', kind: 'generate', answerField: 'answer', template: '{q}', generation: { maxNewTokens: 8 }, metrics: ['contains'] } as never;
  const instance = { id: 'a', fields: { q: 'q', answer: 'Paris' }, tags: {}, hash: '0'.repeat(64) } as never;
  const outcome = generateKind.readOutcome(spec, instance, [{ type: 'generate', response: { text: ' Paris', promptIds: [1, 5], generatedIds: [7, 8, 2], finishReason: 'eos' } }]);
  assert.equal(outcome, { kind: 'generate', text: ' Paris', finishReason: 'eos', generatedTokens: 3, maxNewTokens: 8, answers: ['Paris'] });
});

test.run();
