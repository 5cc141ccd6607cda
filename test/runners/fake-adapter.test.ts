import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeModelAdapter } from '../../runners/fake-adapter.js';

const test = suite('runners/fake-adapter');

test('deterministic, seed-dependent, and self-consistent across the three methods', async () => {
  const a = new FakeModelAdapter(1);
  const reqs = [
    { context: 'The answer is', continuation: ' yes' },
    { context: 'The answer is', continuation: ' no' },
    { context: '', continuation: 'héllo' },
  ];
  const first = await a.loglikelihood(reqs);
  assert.equal(await new FakeModelAdapter(1).loglikelihood(reqs), first, 'same seed, same scores');
  assert.not.equal(await new FakeModelAdapter(2).loglikelihood(reqs), first, 'another seed is another model');
  assert.ok(first.every((r) => r.logprob < 0));
  assert.equal(first.map((r) => r.tokenCount), [4, 3, 6], 'byte tokens: é is 2 bytes');
  // rolling(text) scores the same tokens as loglikelihood('', text)
  const [roll] = await a.rolling([{ text: 'héllo' }]);
  assert.ok(Math.abs(roll.nllSum + first[2].logprob) < 1e-9);
  assert.equal([roll.tokenCount, roll.byteCount], [6, 6]);
});

test('generate: greedy text is greedy under loglikelihood, stops and limits apply', async () => {
  const a = new FakeModelAdapter(3);
  const [g] = await a.generate([{ prompt: 'Q: ', options: { maxNewTokens: 12 } }]);
  assert.is(g.generatedIds.length, 12);
  assert.is(g.finishReason, 'length');
  assert.is(g.text.length, 12, 'printable ASCII is favoured, one char per byte');
  const [ll] = await a.loglikelihood([{ context: 'Q: ', continuation: g.text }]);
  assert.ok(ll.isGreedy, 'the generated text is the argmax path');
  const stopAt = g.text.slice(5, 7);
  const [s] = await a.generate([{ prompt: 'Q: ', options: { maxNewTokens: 12, stop: [stopAt] } }]);
  assert.is(s.finishReason, 'stop');
  assert.is(s.text, g.text.slice(0, g.text.indexOf(stopAt)));
});

test.run();
