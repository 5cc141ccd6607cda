import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LlamaCppAdapter } from '../../../runners/backends/llama-cpp/llama-adapter.js';
import { startEnergySpan } from '../../../runners/measure/energy.js';
import { benchmarkLlamaDecoder } from '../../../runners/measure/llama-decode-benchmark.js';
import { storiesGguf } from '../backends/llama-cpp/fixtures.js';

const test = suite('runners/measure/llama-decode-benchmark: time budget and token look');

const energy = () => startEnergySpan({ executionProvider: 'cpu', tdpWattsPerCore: 1 });
const PROMPT = [1, 400, 401, 402];

test('a spent budget stops at minDecodeTokens; onToken sees the prefill, warm-up and timed tokens, as without a budget', async () => {
  const s = storiesGguf('llama decode loop budget');
  if (!s) return;
  const adapter = await LlamaCppAdapter.load(s.gguf, { maxLength: 64 });
  try {
    const sizes = { promptTokens: PROMPT.length, prefillRepeats: 1, warmupTokens: 1, decodeTokens: 40 };
    const budgeted: number[] = [];
    const t = await benchmarkLlamaDecoder(adapter, PROMPT, sizes, energy, { budgetMs: 0, minDecodeTokens: 3, onToken: (id) => budgeted.push(id) });
    assert.is(t.decodeMs.length, 3);
    assert.is(budgeted.length, 1 + 1 + 3);
    const plain: number[] = [];
    const u = await benchmarkLlamaDecoder(adapter, PROMPT, { ...sizes, decodeTokens: 3 }, energy, { onToken: (id) => plain.push(id) });
    assert.is(u.decodeMs.length, 3);
    assert.equal(plain, budgeted);
    assert.ok(budgeted.every((id) => id >= 0));
  } finally {
    await adapter.dispose();
  }
});

test.run();
