import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quantizeToCode } from '../../../../kernels/index.js';
import { quantizeCodeFast } from '../../../../runners/compress/fast/round-code.js';
import { createRng } from '../../../../core/rng.js';

const test = suite('compress/fast/round-code');

test('= quantizeToCode on ties, negative ties, signed zeros, huge values and random values', () => {
  const scales = [1, 0.5, 0.013, Math.fround(0.1), 3e-8];
  const special = [0, -0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 7.5, 8.5, -7.5, 14.5, 15.5, 1e300, -1e300, 2 ** 51 + 0.5, 2 ** 52, -(2 ** 53), Infinity, -Infinity];
  const rng = createRng(11);
  const values = [...special, ...Array.from({ length: 20000 }, () => rng.normal() * 10)];
  let checked = 0;
  for (const [maxq, minq, zero] of [[15, 0, 8], [15, 0, 0], [15, 1, 8], [3, 0, 2], [255, 0, 128]]) {
    for (const scale of scales) {
      for (const v of values) {
        for (const x of [v, v * scale]) {
          const ref = quantizeToCode(x, scale, zero, maxq, minq);
          const fast = quantizeCodeFast(x, scale, zero, maxq, minq);
          assert.ok(Object.is(ref, fast), `x ${x} scale ${scale} zero ${zero} [${minq}, ${maxq}]: ${fast} vs ${ref}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 1e6);
});

test('NaN stays NaN (stored as code 0 in a Uint8Array, like the reference)', () => {
  assert.ok(Number.isNaN(quantizeCodeFast(NaN, 1, 8, 15, 0)));
  assert.ok(Number.isNaN(quantizeToCode(NaN, 1, 8, 15, 0)));
});

test.run();
