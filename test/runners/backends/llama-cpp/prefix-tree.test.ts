/**
 * The prefix tree on llama.cpp (issue 15 item 2): one sequence walked in tree order, shared
 * grid blocks kept, the rest erased. Same scores as evaluating every context whole (within
 * 1e-4), fewer tokens evaluated, and each pair's score bit for bit the same whatever else
 * shares the call.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { scoreLoglikelihood } from '../../../../runners/backends/llama-cpp/loglikelihood.js';
import { fewShotPairs, subsetOrders } from '../../few-shot-pairs.js';
import { storiesGguf } from './fixtures.js';

const test = suite('runners/backends/llama-cpp (prefix tree)');

test('stories260K.gguf: tree = whole contexts within 1e-4, fewer tokens, batch-invariant bit for bit', async () => {
  const s = storiesGguf('llama.cpp prefix tree');
  if (!s) return;
  const adapter = await LlamaCppAdapter.load(s.gguf);
  try {
    const seq = adapter.sequence;
    const pairs = fewShotPairs(5, 512, 200);
    const fed = async (run: () => Promise<number[]>): Promise<{ scores: number[]; tokens: number }> => {
      const before = seq.tokenMeter.usedInputTokens;
      const scores = await run();
      return { scores, tokens: seq.tokenMeter.usedInputTokens - before };
    };
    const whole = await fed(async () => (await scoreLoglikelihood(seq, pairs, undefined, Infinity)).map((r) => r.logprob));
    const tree = await fed(async () => (await scoreLoglikelihood(seq, pairs)).map((r) => r.logprob));
    tree.scores.forEach((x, i) => assert.ok(Math.abs(x - whole.scores[i]) < 1e-4, `pair ${i}: tree ${x} vs whole ${whole.scores[i]}`));
    assert.ok(tree.tokens < whole.tokens * 0.6, `the tree evaluated ${tree.tokens} tokens, whole contexts ${whole.tokens}`);
    for (const { name, indices } of subsetOrders(pairs.length, 13)) {
      const part = await scoreLoglikelihood(
        seq,
        indices.map((i) => pairs[i]),
      );
      indices.forEach((i, k) => assert.ok(Object.is(part[k].logprob, tree.scores[i]), `${name}: pair ${i}: ${part[k].logprob} vs ${tree.scores[i]} in the whole call`));
    }
  } finally {
    await adapter.dispose();
  }
});

test.run();
