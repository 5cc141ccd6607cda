import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CellChange } from '../../../reports/compare/compare-runs.js';
import { cellStatus, DEFAULT_NIGHT_RULE } from '../../../reports/history/night.js';

const test = suite('reports/history/night');

const side = (value: number | null, state: 'ok' | 'errored' = 'ok') => ({ state, value, low: value, high: value, n: 100, tooFew: false });
const pairing = (lostInB = 0) => ({ matched: 100, hashChanged: 0, onlyA: lostInB, onlyB: 0, erroredEither: 0, lostInB });
function change(delta: [number, number, number] | null, options: { higherIsBetter?: boolean; flips?: [number, number]; lostInB?: number; a?: number | null; b?: number | null; errored?: 'a' | 'b' } = {}): CellChange {
  const [d, low, high] = delta ?? [0, 0, 0];
  const flips = options.flips && { n: 100, bothRight: 80, bothWrong: 20 - options.flips[0] - options.flips[1], rightToWrong: options.flips[0], wrongToRight: options.flips[1], rightToWrongRate: options.flips[0] / 100, wrongToRightRate: options.flips[1] / 100, flipRate: (options.flips[0] + options.flips[1]) / 100, mcnemarP: 1 };
  const a = options.a === undefined ? 0.8 : options.a;
  const b = options.b === undefined ? 0.8 + d : options.b;
  return {
    variantId: 'v', suiteId: 's', metric: 'm', higherIsBetter: options.higherIsBetter ?? true,
    a: side(a, options.errored === 'a' ? 'errored' : 'ok'),
    b: side(b, options.errored === 'b' ? 'errored' : 'ok'),
    delta: a === null || b === null ? null : b - a,
    paired: delta === null ? null : { pairing: pairing(options.lostInB), delta: { n: 100, baselineMean: 0.8, variantMean: 0.8 + d, delta: d, low, high }, flips: flips ?? null },
  };
}

test('the paired CI wholly on the worse side is a regression, on the better side an improvement', () => {
  const rule = DEFAULT_NIGHT_RULE;
  assert.is(cellStatus(change([-0.029, -0.058, -0.004]), rule), 'regression');
  assert.is(cellStatus(change([-0.02, -0.047, 0]), rule), 'same', 'a CI that reaches 0 is no change');
  assert.is(cellStatus(change([0.03, 0.01, 0.05]), rule), 'improvement');
  assert.is(cellStatus(change([0.3, 0.1, 0.5], { higherIsBetter: false }), rule), 'regression', 'perplexity up');
  assert.is(cellStatus(change([0, 0, 0]), rule), 'same');
  assert.is(cellStatus(change([-0.029, -0.058, -0.004]), { ...rule, tolerance: 0.01 }), 'same', 'within the tolerance');
});

test('flips beyond the bound are a change even when Δ is 0', () => {
  assert.is(cellStatus(change([0, -0.03, 0.03], { flips: [2, 2] }), DEFAULT_NIGHT_RULE), 'flips');
  assert.is(cellStatus(change([0, -0.02, 0.02], { flips: [1, 1] }), DEFAULT_NIGHT_RULE), 'same', '2% is not beyond 2%');
});

test('a lost cell or lost instances are missing; without instances a moved value is a change', () => {
  assert.is(cellStatus(change([0, 0, 0], { errored: 'b' }), DEFAULT_NIGHT_RULE), 'missing');
  assert.is(cellStatus(change([0, 0, 0], { lostInB: 3 }), DEFAULT_NIGHT_RULE), 'missing');
  assert.is(cellStatus(change([0, 0, 0], { errored: 'a' }), DEFAULT_NIGHT_RULE), 'recovered');
  assert.is(cellStatus(change(null, { a: 0.8, b: 0.7 }), DEFAULT_NIGHT_RULE), 'changed-unpaired');
  assert.is(cellStatus(change(null, { a: 0.8, b: 0.8 }), DEFAULT_NIGHT_RULE), 'same');
});

test.run();
