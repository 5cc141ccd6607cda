import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ffnChannelImportance, keepMostImportant, pruneAttentionHeads, pruneFfnChannels } from '../../kernels/structured.js';
import type { AttentionWeights, FfnWeights } from '../../kernels/structured-shrink.js';
import { inputError, randomWeight } from './fixtures.js';

const test = suite('kernels/structured');

test('keepMostImportant: removes floor(ratio·n) lowest, returns ascending indices', () => {
  assert.equal([...keepMostImportant([5, 1, 3, 0.5], 0.5)], [0, 2]);
  assert.equal([...keepMostImportant([5, 1, 3, 0.5], 0)], [0, 1, 2, 3]);
  assert.throws(() => keepMostImportant([1, 2], 1), inputError(/ratio/));
});

test('GQA: removing a KV head removes its query group (q/k/v columns, o rows)', () => {
  // hidden 4, 4 query heads, 2 KV heads, headDim 2: KV head 1 serves query heads 2, 3.
  const hidden = 4;
  const w: AttentionWeights = {
    q: randomWeight(1, hidden, 8), k: randomWeight(2, hidden, 4), v: randomWeight(3, hidden, 4), o: randomWeight(4, 8, hidden),
    hidden, numHeads: 4, numKvHeads: 2, headDim: 2,
  };
  // Make group 1 unimportant: tiny values and o rows.
  const v = Float32Array.from(w.v);
  for (let k = 0; k < hidden; k++) v[k * 4 + 2] = v[k * 4 + 3] = 1e-4;
  const r = pruneAttentionHeads({ ...w, v }, 0.5);
  assert.equal([...r.keptKvHeads], [0]);
  assert.equal([...r.keptHeads], [0, 1]);
  assert.is(r.shrunk.numHeads, 2);
  assert.is(r.shrunk.numKvHeads, 1);
  assert.is(r.shrunk.q.length, hidden * 4);
  assert.is(r.shrunk.k.length, hidden * 2);
  assert.is(r.shrunk.o.length, 4 * hidden);
  // q keeps columns 0–3 of each row; o keeps rows 0–3; k keeps columns 0–1.
  for (let k = 0; k < hidden; k++) {
    for (let c = 0; c < 4; c++) assert.is(r.shrunk.q[k * 4 + c], w.q[k * 8 + c]);
    for (let c = 0; c < 2; c++) assert.is(r.shrunk.k[k * 2 + c], w.k[k * 4 + c]);
  }
  assert.equal([...r.shrunk.o], [...w.o.subarray(0, 4 * hidden)]);
  assert.ok(r.removedScoreFraction > 0 && r.removedScoreFraction < 1e-3, `${r.removedScoreFraction}`);
  assert.ok(r.stats.q.relFrobeniusError > 0 && r.stats.o.relFrobeniusError > 0);
});

test('FFN channels: importance from down_proj input norms (computed by hand) and shrinking', () => {
  // hidden 2, F 3; down rows have squared norms [1, 4, 0.25]; h = [1, 0.1, 10] -> scores [1, 0.04, 25].
  const w: FfnWeights = {
    gate: Float32Array.from([1, 2, 3, 4, 5, 6]), up: Float32Array.from([6, 5, 4, 3, 2, 1]),
    down: Float32Array.from([1, 0, 0, 2, 0.5, 0]), hidden: 2, intermediate: 3,
  };
  const scores = ffnChannelImportance(w, { intermediate: Float64Array.from([1, 0.1, 10]) });
  assert.ok(Math.abs(scores[0] - 1) < 1e-12 && Math.abs(scores[1] - 0.04) < 1e-12 && Math.abs(scores[2] - 25) < 1e-12);
  const r = pruneFfnChannels(w, 0.34, { intermediate: Float64Array.from([1, 0.1, 10]) });
  assert.equal([...r.kept], [0, 2]);
  assert.equal([...r.shrunk.gate], [1, 3, 4, 6]);
  assert.equal([...r.shrunk.up], [6, 4, 3, 1]);
  assert.equal([...r.shrunk.down], [1, 0, 0.5, 0]);
  assert.is(r.shrunk.intermediate, 2);
  // Removing down row 1 ([0, 2]) zeroes 2 of ‖down‖ = sqrt(1 + 4 + 0.25).
  assert.ok(Math.abs(r.stats.down.relFrobeniusError - 2 / Math.sqrt(5.25)) < 1e-6);
  assert.is(r.stats.down.maxAbsError, 2);
});

test.run();
