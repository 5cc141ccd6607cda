import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalHash, canonicalJson, jsonDifferences } from '../../../reports/compare/json-diff.js';

const test = suite('reports/compare/json-diff');

test('canonical JSON ignores key order at every depth', () => {
  assert.is(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }), '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  assert.is(canonicalHash({ x: 1, y: 2 }), canonicalHash({ y: 2, x: 1 }));
  assert.is.not(canonicalHash({ x: 1 }), canonicalHash({ x: 2 }));
});

test('differences are leaf JSON paths, with added and removed keys', () => {
  const a = { limit: 5, models: [{ id: 'a', dir: 'm/a' }, { id: 'b', dir: 'm/b' }], 'odd key': 1, gone: true };
  const b = { limit: 10, models: [{ id: 'a', dir: 'm/a' }, { id: 'b', dir: 'm/B' }, { id: 'c' }], 'odd key': 2, extra: 'x' };
  assert.equal(jsonDifferences(a, b), [
    { path: '$.extra', b: 'x' },
    { path: '$.gone', a: true },
    { path: '$.limit', a: 5, b: 10 },
    { path: '$.models[1].dir', a: 'm/b', b: 'm/B' },
    { path: '$.models[2]', b: { id: 'c' } },
    { path: '$["odd key"]', a: 1, b: 2 },
  ]);
  assert.equal(jsonDifferences({ x: [1, 2] }, { x: [1, 2] }), []);
  assert.equal(jsonDifferences({ x: 1 }, { x: '1' }), [{ path: '$.x', a: 1, b: '1' }]);
});

test.run();
