import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonPointerLines, pointerToPath } from '../../../core/schemas/json-lines.js';

const test = suite('core/schemas/json-lines');

test('maps JSON pointers to the line where each value starts', () => {
  const text = '{\n  "id": "x",\n  "metrics": [\n    "acc",\n    "f1"\n  ],\n  "a/b": {"c~d": [1, {}]},\n  "s": "br}ace\\"q"\n}';
  const lines = jsonPointerLines(text);
  assert.is(lines.get(''), 1);
  assert.is(lines.get('/id'), 2);
  assert.is(lines.get('/metrics'), 3);
  assert.is(lines.get('/metrics/1'), 5);
  assert.is(lines.get('/a~1b/c~0d/1'), 7);
  assert.is(lines.get('/s'), 8);
  assert.equal(jsonPointerLines('{"x": '), new Map());
});

test('renders pointers as JSON paths', () => {
  assert.is(pointerToPath(''), '$');
  assert.is(pointerToPath('/metrics/0'), '$.metrics[0]');
  assert.is(pointerToPath('/fewShot/k'), '$.fewShot.k');
  assert.is(pointerToPath('/a~1b/odd key'), '$["a/b"]["odd key"]');
});

test.run();
