import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../core/errors.js';
import { checkBatchLimits, chunkByCost } from '../../runners/batching.js';

const test = suite('runners/batching');

test('chunkByCost bounds rows and padded tokens, keeps order, lets an oversized item run alone', () => {
  const lengths = [50, 40, 40, 30, 10, 10, 10, 200, 5];
  const chunks = chunkByCost(lengths, (x) => x, { maxRows: 3, maxTokens: 100 });
  assert.equal(chunks, [[50, 40], [40, 30], [10, 10, 10], [200], [5]]);
  for (const c of chunks) assert.ok(c.length <= 3 && (c.length === 1 || c.length * Math.max(...c) <= 100));
  assert.equal(chunkByCost([], (x: number) => x, { maxRows: 2, maxTokens: 10 }), []);
});

test('limits are checked up front with the option name', () => {
  assert.throws(() => checkBatchLimits({ maxRows: 1.5, maxTokens: 10 }), (e: unknown) => e instanceof InputError && /options\.maxRows/.test((e as Error).message));
  assert.throws(() => checkBatchLimits({ maxRows: 1, maxTokens: 0 }), /options\.maxTokens/);
});

test.run();
