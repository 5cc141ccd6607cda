import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argmaxAt, firstMaxAt, isFirstMax, logProbAt, logProbWithLse } from '../../../../runners/backends/onnxruntime/log-probs.js';
import { createRng } from '../../../../core/rng.js';

const test = suite('runners/log-probs');

test('log softmax at one target equals the naive formula; argmax takes the first maximum', () => {
  // logits [1, 2, 3, 3]: log p(2) = 3 - log(e^1 + e^2 + 2e^3) = -0.9175758 (by hand: log(2.718 + 7.389 + 40.171) = 3.9176)
  const logits = Float32Array.from([9, 9, 1, 2, 3, 3, 9]);
  const arg = new Int32Array(1);
  const lp = logProbAt(logits, 2, 4, 2, arg);
  assert.ok(Math.abs(lp - (3 - Math.log(Math.exp(1) + Math.exp(2) + 2 * Math.exp(3)))) < 1e-12);
  assert.ok(Math.abs(lp - -0.9175758) < 1e-6);
  assert.is(arg[0], 2);
  assert.is(argmaxAt(logits, 2, 4), 2);
  // large logits do not overflow: log p stays finite
  assert.ok(Number.isFinite(logProbAt(Float32Array.from([1000, 999]), 0, 2, 1, arg)));
});

test("the greedy check from the row's maximum agrees with the full scan: ties, NaN, −Inf, random rows", () => {
  const rows: number[][] = [
    [1, 3, 3, 2],
    [3, 1, 3, 2],
    [NaN, 2, 1, 2],
    [NaN, NaN, NaN, NaN],
    [-Infinity, -Infinity, -Infinity, -Infinity],
    [Infinity, 1, Infinity, 0],
    [0, -0, 0, -1],
  ];
  const rng = createRng(3);
  for (let r = 0; r < 200; r++) rows.push(Array.from({ length: 7 }, () => rng.int(4) - 2));
  for (const row of rows) {
    const logits = Float32Array.from(row);
    // the graph's ReduceMax: NaN when any entry is NaN (the JS scan ignores NaN; both cases must agree)
    const withNaN = row.some(Number.isNaN) ? NaN : Math.max(...row);
    const withoutNaN = row.every(Number.isNaN) ? NaN : Math.max(...row.filter((x) => !Number.isNaN(x)));
    for (let target = 0; target < row.length; target++) {
      const expected = firstMaxAt(logits, 0, row.length) === target;
      assert.is(isFirstMax(logits, 0, row.length, target, withNaN), expected, `${JSON.stringify(row)} target ${target}`);
      assert.is(isFirstMax(logits, 0, row.length, target, withoutNaN), expected, `${JSON.stringify(row)} target ${target} (NaN skipped)`);
    }
  }
  assert.is(logProbWithLse(Float32Array.from([0, 1.5]), 0, 1, 2), -0.5);
});

test.run();
