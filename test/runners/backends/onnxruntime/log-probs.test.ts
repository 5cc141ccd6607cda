import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { argmaxAt, logProbAt } from '../../../../runners/backends/onnxruntime/log-probs.js';

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

test.run();
