import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InfraError } from '../../core/errors.js';
import { answerRequests } from '../../suites/execute.js';
import { FakeModel } from './fixtures.js';

const test = suite('suites/execute');

test('one batch call per method, responses routed back to their instance and slot', async () => {
  const model = new FakeModel(new Set(['yes']));
  const out = await answerRequests(model, [
    { instanceId: 'a', requests: [{ type: 'rolling', request: { text: 'ab cd' } }, { type: 'loglikelihood', request: { context: 'q', continuation: ' yes' } }] },
    { instanceId: 'b', requests: [{ type: 'loglikelihood', request: { context: 'q', continuation: ' no' } }] },
  ]);
  assert.equal(out[0][0], { type: 'rolling', response: { nllSum: 2.5, tokenCount: 2, byteCount: 5 } });
  assert.equal(out[0][1], { type: 'loglikelihood', response: { logprob: -1, isGreedy: true, tokenCount: 1 } });
  assert.equal(out[1][0], { type: 'loglikelihood', response: { logprob: -2.3, isGreedy: false, tokenCount: 1 } });
  assert.is(model.seen.loglikelihood.length, 2);
});

test('a throwing method or a short answer becomes error values, fatal for InfraError', async () => {
  const model = new FakeModel();
  model.rolling = async () => {
    throw new InfraError('worker died');
  };
  model.loglikelihood = async () => [];
  const out = await answerRequests(model, [
    { instanceId: 'a', requests: [{ type: 'rolling', request: { text: 'x' } }, { type: 'loglikelihood', request: { context: '', continuation: 'x' } }] },
  ]);
  assert.equal(out[0][0], { type: 'error', error: 'worker died', isFatal: true });
  assert.equal(out[0][1], { type: 'error', error: 'fake.loglikelihood returned 0 responses for 1 requests', isFatal: true });
});

test.run();
