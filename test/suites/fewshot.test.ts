import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fnv1a32, sampleShots } from '../../suites/fewshot.js';
import type { Instance } from '../../suites/spec.js';

const test = suite('suites/fewshot');
const inst = (id: string, hash = `h-${id}`): Instance => ({ id, line: 1, fields: {}, tags: {}, hash });

test('FNV-1a 32-bit test vectors (Fowler/Noll/Vo reference: "", "a", "foobar")', () => {
  assert.is(fnv1a32(''), 0x811c9dc5);
  assert.is(fnv1a32('a'), 0xe40c292c);
  assert.is(fnv1a32('foobar'), 0xbf9cf968);
});

test('k distinct examples, never the instance itself (by id or by content), seeded per instance', () => {
  const pool = ['a', 'b', 'c', 'd', 'e'].map((id) => inst(id));
  const target = inst('c');
  for (let seed = 0; seed < 50; seed++) {
    const shots = sampleShots([...pool, inst('copy-of-c', 'h-c')], target, 3, seed);
    assert.is(shots.length, 3);
    assert.is(new Set(shots.map((s) => s.id)).size, 3);
    assert.not.ok(shots.some((s) => s.hash === 'h-c'));
  }
  assert.equal(sampleShots(pool, target, 3, 9), sampleShots(pool, target, 3, 9));
  const draws = new Set(Array.from({ length: 20 }, (_, s) => sampleShots(pool, target, 2, s).map((x) => x.id).join()));
  assert.ok(draws.size > 3, 'different seeds draw different examples');
  assert.is(sampleShots(pool, target, 10, 1).length, 4);
});

test.run();
