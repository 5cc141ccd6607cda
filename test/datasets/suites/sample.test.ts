import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../datasets/corpus/rng.js';
import { evenSplit, stratifiedSample } from '../../../datasets/suites/sample.js';

const test = suite('datasets/suites/sample');

test('evenSplit spreads n over k slots, first slots first', () => {
  assert.equal(evenSplit(10, 4), [3, 3, 2, 2]);
  assert.equal(evenSplit(70, 18).reduce((a, b) => a + b, 0), 70);
  assert.equal(evenSplit(70, 16).slice(0, 7), [5, 5, 5, 5, 5, 5, 4]);
});

test('stratifiedSample takes perCell from every cell, deterministic for a seed', () => {
  const items = Array.from({ length: 40 }, (_, i) => ({ i, cell: i % 3 === 0 ? 'a' : 'b' }));
  const a = stratifiedSample(items, (x) => x.cell, ['a', 'b'], 5, createRng(7));
  assert.is(a.length, 10);
  assert.equal(a.slice(0, 5).map((x) => x.cell), ['a', 'a', 'a', 'a', 'a']);
  assert.equal(a.slice(5).map((x) => x.cell), ['b', 'b', 'b', 'b', 'b']);
  assert.equal(stratifiedSample(items, (x) => x.cell, ['a', 'b'], 5, createRng(7)), a);
  assert.not.equal(stratifiedSample(items, (x) => x.cell, ['a', 'b'], 5, createRng(8)), a);
});

test('a cell with too few items throws, naming the cell', () => {
  assert.throws(() => stratifiedSample([{ c: 'a' }], (x) => x.c, ['a'], 2, createRng(1)), /cell 'a' holds 1 items, 2 needed/);
});

test.run();
