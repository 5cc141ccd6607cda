import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BaselineCollector, MAX_EXACT_VOCAB, readRows, rowsFile, TOP_K, writeRows, type BaselineRows } from '../../../runners/agreement/baseline-rows.js';
import { VariantAgreement } from '../../../runners/agreement/variant-agreement.js';
import { tempDir } from '../fixtures.js';

const test = suite('runners/agreement/baseline-rows');

function collect(vocab: number, slots: readonly number[]): { collector: BaselineCollector; rows: Float32Array[] } {
  const collector = new BaselineCollector();
  const rows: Float32Array[] = [];
  // observed out of order, as batched forwards do; the row is copied
  slots.forEach((count, slot) => {
    for (let p = count - 1; p >= 0; p--) {
      const logits = Float32Array.from({ length: vocab + 3 }, (_, v) => Math.sin(v * 0.37 + slot + p * 1.3) * 4);
      rows.push(logits.slice(3));
      collector.observe(slot, p, (slot * 7 + p) % vocab, logits, 3, vocab);
    }
  });
  return { collector, rows };
}

test('exact rows round-trip through the file; a torn or foreign file reads as absent', () => {
  const { collector } = collect(50, [3, 0, 2]);
  const rows = collector.finish(3) as BaselineRows;
  assert.equal([rows.k, rows.vocab, [...rows.slotCounts]], [50, 50, [3, 0, 2]]);
  const file = rowsFile(tempDir('rows'), 'a'.repeat(64));
  writeRows(file, rows);
  const back = readRows(file)!;
  assert.equal([...back.targets], [...rows.targets]);
  assert.equal([...back.values], [...rows.values]);
  writeFileSync(file, Buffer.from(new Uint32Array([1, 2, 3, 4, 5, 6]).buffer));
  assert.is(readRows(file), undefined);
  assert.is(readRows(join(tempDir('rows'), 'missing.bin')), undefined);
});

test('above the exact vocabulary: top-K rows, recorded as a lower bound', () => {
  const vocab = MAX_EXACT_VOCAB + 1;
  const { collector } = collect(vocab, [2]);
  const rows = collector.finish(1) as BaselineRows;
  assert.is(rows.k, TOP_K);
  const file = rowsFile(tempDir('rows'), 'b'.repeat(64));
  writeRows(file, rows);
  const back = readRows(file)!;
  assert.equal([...back.ids!], [...rows.ids!]);
  const a = new VariantAgreement(back, 'base', 'k');
  const logits = Float32Array.from({ length: vocab }, (_, v) => Math.cos(v));
  a.observe(0, 0, rows.targets[0], logits, 0, vocab);
  a.observe(0, 1, rows.targets[1], logits, 0, vocab);
  const got = a.finish();
  assert.ok(got.state === 'computed' && got.bound === `top-K lower bound, K=${TOP_K}` && got.tokens === 2);
});

test('a position the variant never scored, or another token, is "not computed" with the reason', () => {
  const rows = collect(20, [2]).collector.finish(1) as BaselineRows;
  const logits = new Float32Array(20);
  const short = new VariantAgreement(rows, 'base', 'k');
  short.observe(0, 0, rows.targets[0], logits, 0, 20);
  assert.equal(short.finish(), { state: 'not computed', baseline: 'base', baselineKey: 'k', reason: 'the variant did not score 1 of the 2 tokens the baseline scored' });
  const other = new VariantAgreement(rows, 'base', 'k');
  other.observe(0, 0, rows.targets[0] + 1, logits, 0, 20);
  const r = other.finish();
  assert.ok(r.state === 'not computed' && /different tokenization/.test(r.reason));
  const vocab = new VariantAgreement(rows, 'base', 'k');
  vocab.observe(0, 0, rows.targets[0], new Float32Array(21), 0, 21);
  const v = vocab.finish();
  assert.ok(v.state === 'not computed' && /vocabulary has 21 tokens, the baseline's 20/.test(v.reason));
});

test('the baseline observed with a gap in its positions gives no rows', () => {
  const c = new BaselineCollector();
  c.observe(0, 1, 3, new Float32Array(5), 0, 5);
  assert.is(c.finish(1), "the baseline's request 0 has no distribution at token 0");
  assert.is(new BaselineCollector().finish(1), 'the baseline scored no token of this instance');
});

test.run();
