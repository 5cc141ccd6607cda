/**
 * Regression: llama.cpp (node-llama-cpp 3.22.1) segfaulted when one batch filled a context
 * with a quantized KV cache exactly, as a full rolling window does (the default run's
 * perplexity cell of the teacher's q8_0-cache variant). The adapter keeps one spare cell;
 * a crash here kills the test process, so this test fails loudly if it comes back.
 */
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { exportGguf } from '../../../../runners/import/onnx-to-gguf.js';
import { studentDir, tempDir } from '../../fixtures.js';

const test = suite('runners/backends/llama-cpp full windows with a quantized cache');

test('q8_0 and q4_0 caches score windows that fill the context exactly', async () => {
  const student = studentDir('llama.cpp full window');
  if (!student) return;
  const gguf = join(tempDir('full-window'), 'student.gguf');
  await exportGguf(student, gguf, { dtype: 'F32' });
  const text = Array.from({ length: 40 }, (_, i) => `Tom had ${i + 2} red apples and gave one to Mia.`).join(' ');
  for (const kvCacheType of ['f32', 'q8_0', 'q4_0'] as const) {
    const a = await LlamaCppAdapter.load(gguf, { kvCacheType, maxLength: 64 });
    try {
      const [r] = await a.rolling([{ text }]);
      assert.ok(r.tokenCount > 128, `several full windows of 64 (${r.tokenCount} tokens)`);
      assert.ok(Number.isFinite(r.nllSum) && r.nllSum > 0, `${kvCacheType}: ${r.nllSum}`);
    } finally {
      await a.dispose();
    }
  }
});

test.run();
