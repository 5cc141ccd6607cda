import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InfraError } from '../../core/errors.js';
import type { LoglikelihoodRequest } from '../../core/requests.js';
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

test("each instance's loglikelihood requests are one group; after a failure each instance is retried whole, then request by request", async () => {
  const model = new FakeModel(new Set(['yes']));
  const calls: (string | undefined)[][] = [];
  const plain = model.loglikelihood.bind(model);
  model.loglikelihood = async (requests: readonly LoglikelihoodRequest[]) => {
    calls.push(requests.map((r) => r.group));
    if (requests.some((r) => r.continuation === ' bad')) throw new Error('too long');
    return plain(requests);
  };
  const out = await answerRequests(model, [
    { instanceId: 'a', requests: [{ type: 'loglikelihood', request: { context: 'q', continuation: ' yes' } }, { type: 'loglikelihood', request: { context: 'q', continuation: ' no' } }] },
    { instanceId: 'b', requests: [{ type: 'loglikelihood', request: { context: 'r', continuation: ' yes' } }, { type: 'loglikelihood', request: { context: 'r', continuation: ' bad' } }] },
  ]);
  // the whole call, instance a whole (as a group), instance b whole, then b's requests alone (no group)
  assert.equal(calls, [['0', '0', '1', '1'], ['0', '0'], ['1', '1'], [undefined], [undefined]]);
  assert.equal(out[0][0], { type: 'loglikelihood', response: { logprob: -1, isGreedy: true, tokenCount: 1 } });
  assert.equal(out[1][0], { type: 'loglikelihood', response: { logprob: -1, isGreedy: true, tokenCount: 1 } });
  assert.equal(out[1][1], { type: 'error', error: 'too long', isFatal: false });
});

test.run();
