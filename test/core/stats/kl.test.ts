import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { choiceKL, logSoftmax, meanChoiceKL } from '../../../core/stats/kl.js';

const test = suite('core/stats/kl');

test('KL([.5,.5] ‖ [.25,.75]) = .5 ln 2 + .5 ln(2/3) = 0.14384103622589042 nats', () => {
  const kl = choiceKL([Math.log(0.5), Math.log(0.5)], [Math.log(0.25), Math.log(0.75)]);
  assert.ok(Math.abs(kl - 0.14384103622589042) < 1e-12, `${kl}`);
});

test('softmax normalisation: a constant shift of either side changes nothing', () => {
  const a = [-3.2, -1.1, -7.5];
  assert.ok(choiceKL(a, a.map((x) => x - 40)) < 1e-12);
  const b = [-2.0, -2.5, -1.0];
  assert.ok(Math.abs(choiceKL(a.map((x) => x + 3), b) - choiceKL(a, b)) < 1e-12);
  const ls = logSoftmax([0, 0, 0, 0]);
  assert.ok(ls.every((x) => Math.abs(x + Math.log(4)) < 1e-12));
});

test('mean over instances', () => {
  const base = [[Math.log(0.5), Math.log(0.5)], [0, 0]];
  const vari = [[Math.log(0.25), Math.log(0.75)], [5, 5]];
  assert.ok(Math.abs(meanChoiceKL(base, vari) - 0.14384103622589042 / 2) < 1e-12);
  assert.throws(() => choiceKL([0], [0, 1]), /option counts/);
});

test.run();
