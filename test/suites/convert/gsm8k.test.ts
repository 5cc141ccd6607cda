import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedExternalDir } from '../../../core/paths.js';
import { convertGsm8k, writeGsm8kSuite } from '../../../suites/convert/gsm8k.js';
import { answerRequests } from '../../../suites/execute.js';
import { buildRequests, loadSuite } from '../../../suites/load.js';
import { scoreInstances } from '../../../suites/score.js';
import { FakeModel, removeDir, tempDir } from '../fixtures.js';

const test = suite('suites/convert/gsm8k');

test('converts a hand-written sample; skips answers without #### n', () => {
  const text = [
    JSON.stringify({ question: 'Tom has 2 apples and buys 3. How many?', answer: 'He has 2+3=<<2+3=5>>5.\n#### 5' }),
    JSON.stringify({ question: 'Broken?', answer: 'no marker' }),
  ].join('\n');
  const c = convertGsm8k(text, 'sample.jsonl');
  assert.equal(c.instances, [
    { id: 'gsm8k-1', question: 'Tom has 2 apples and buys 3. How many?', answer: 'He has 2+3=<<2+3=5>>5.\n#### 5', tags: { steps: '1' } },
  ]);
  assert.equal(c.skipped, [{ line: 2, reason: "answer does not end in '#### <number>'" }]);
});

test('converts the real GSM8K test file (sample, 2-shot) and scores it with a fake model', async () => {
  const ext = sharedExternalDir();
  const file = ext && join(ext, 'datasets', 'gsm8k_test.jsonl');
  if (!file || !existsSync(file)) {
    console.log('SKIP suites/convert/gsm8k real data: ../shared/external not found');
    return;
  }
  const dir = tempDir('compbench-gsm8k-');
  try {
    writeGsm8kSuite(file, dir, { limit: 20, fewShot: { k: 2, holdOut: 8 } });
    const s = loadSuite(dir);
    assert.is(s.instances.length, 20);
    assert.is(s.instances[0].id, 'gsm8k-9');
    const reqs = buildRequests(s);
    const first = reqs[0].requests[0];
    assert.ok(first.type === 'generate');
    // Two worked examples, then the question; every example ends in "#### <n>".
    assert.is((first.request.prompt.match(/#### -?\d/g) ?? []).length, 2);
    assert.ok(first.request.prompt.endsWith(`Question: ${String(s.instances[0].fields.question)}\nAnswer:`));
    // A fake model that always answers "#### 7" is right exactly where the gold answer is 7:
    // lines 9-28 of openai/grade-school-math test.jsonl @ 3101c7d hold two such problems.
    const model = new FakeModel(new Set(), { 'Question:': 'so #### 7' });
    const records = scoreInstances(s, await answerRequests(model, reqs));
    const right = records.filter((r) => r.state === 'scored' && r.scores.numeric === 1).map((r) => r.instanceId);
    assert.is(right.length, 2);
    for (const id of right) assert.match(String(s.instances.find((i) => i.id === id)!.fields.answer), /#### 7$/);
  } finally {
    removeDir(dir);
  }
});

test.run();
