/**
 * The fast scoring path (llama.cpp returns the target's logit, the greedy token's logit and
 * Σ exp(logit − max) summed in float32) against a float64 log-softmax of the whole logit
 * map, on the bundled teacher exported to F32 GGUF (vocab 2048): the bound it states.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { llamaInstance } from '../../../../runners/backends/llama-cpp/llama-instance.js';
import { evaluateLastTargets, evaluateTargets, evaluateWithLogits, logProbOf } from '../../../../runners/backends/llama-cpp/next-token-logits.js';
import { exportGguf } from '../../../../runners/import/onnx-to-gguf.js';
import { teacherDir, tempDir } from '../../fixtures.js';

const test = suite('runners/backends/llama-cpp target scores (float32 Σ) vs float64 log-softmax');

const TEXTS = [
  'Once upon a time there was a little girl who liked to read books about the sea.',
  'The capital of the small country is a quiet town by the river, and its people grow apples.',
  'Tom had 12 marbles. He gave 5 to Anna. How many marbles does Tom have now? Tom has 7 marbles.',
  'Zebras, giraffes and elephants drank from the pool while the sun went down behind the hills.',
];

test('per-token |Δ log p| ≤ 5e-5 nats and the same greedy flags as the float64 map', async () => {
  const teacher = teacherDir('llama.cpp target scores');
  if (!teacher) return;
  const gguf = join(tempDir('target-scores'), 'teacher.gguf');
  await exportGguf(teacher, gguf, { dtype: 'F32' });
  const llama = await llamaInstance();
  const model = await llama.loadModel({ modelPath: gguf });
  const context = await model.createContext({ contextSize: 256, sequences: 1, threads: 1, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32', flashAttention: false });
  const seq = context.getSequence();
  let max = 0;
  let sum = 0;
  let n = 0;
  try {
    for (const text of TEXTS) {
      const ids = [1, ...model.tokenize(text).map(Number)];
      await seq.clearHistory();
      const fast = await evaluateTargets(seq, ids.slice(0, -1), 0, ids.slice(1));
      await seq.clearHistory();
      const maps = await evaluateWithLogits(seq, ids.slice(0, -1), 0);
      maps.forEach((m, i) => {
        const exact = logProbOf(m, ids[i + 1]);
        const d = Math.abs(fast[i].logprob - exact.logprob);
        max = Math.max(max, d);
        sum += d;
        n += 1;
        assert.is(fast[i].isArgmax, exact.argmax === ids[i + 1], `greedy flag at ${i}`);
      });
      // several candidates after one context, as a shared context's continuations are scored
      await seq.clearHistory();
      const head = await evaluateLastTargets(seq, ids.slice(0, 5), [ids[5], 7, 300]);
      await seq.clearHistory();
      const [m5] = await evaluateWithLogits(seq, ids.slice(0, 5), 4);
      for (const c of [ids[5], 7, 300]) assert.ok(Math.abs(head.get(c)!.logprob - logProbOf(m5, c).logprob) <= 5e-5, `candidate ${c}`);
    }
  } finally {
    await context.dispose();
    await model.dispose();
  }
  console.log(`  fast path vs float64 log-softmax over ${n} tokens (vocab 2048): max |Δ| ${max.toExponential(2)}, mean ${(sum / n).toExponential(2)} nats`);
  assert.ok(n > 60);
  assert.ok(max <= 5e-5, `max |Δ| ${max}`);
  assert.ok(max > 0, 'the float32 sum differs somewhere: the comparison is real');
});

test.run();
