import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { readModelFile } from '../../../../runners/formats/onnx/read-model.js';
import { copyModelFolder, storiesDir, withoutKvCache } from '../../fixtures.js';

const test = suite('runners (graph without KV cache: full-sequence forwards)');

test('stories260k without past_key_values: oracle, scores equal the KV-cache path', async () => {
  const src = storiesDir('full-forward model');
  if (!src) return;
  const dir = copyModelFolder(src);
  const onnxPath = join(dir, 'onnx', 'model.onnx');
  writeFileSync(onnxPath, withoutKvCache(readModelFile(onnxPath), 4, 8));
  const plain = await OnnxDecoderAdapter.load(dir);
  const cached = await OnnxDecoderAdapter.load(src);
  try {
    assert.is(plain.session.hasKvCache, false);
    assert.is(cached.session.hasKvCache, true);
    const [g] = await plain.generate([{ prompt: '', options: { maxNewTokens: 200 } }]);
    assert.is(g.text, readFileSync(join(src, 'oracle-greedy200.txt'), 'utf8'), 'oracle without a KV cache');
    const reqs = [
      { context: 'Once upon a time', continuation: ' there was a dog' },
      { context: 'Once upon a time', continuation: ' a cat' },
      { context: 'Lily went to the park. She', continuation: ' saw a big tree' },
    ];
    const [a, b] = [await plain.loglikelihood(reqs), await cached.loglikelihood(reqs)];
    a.forEach((r, i) => assert.ok(Math.abs(r.logprob - b[i].logprob) < 1e-4 && r.isGreedy === b[i].isGreedy, `request ${i}`));
    const [ra, rb] = [await plain.rolling([{ text: 'The sun was hot. Tom ran home.' }]), await cached.rolling([{ text: 'The sun was hot. Tom ran home.' }])];
    assert.ok(Math.abs(ra[0].nllSum - rb[0].nllSum) < 1e-4);
    let caught: unknown;
    await OnnxDecoderAdapter.load(dir, { loglikelihoodPath: 'shared-prefix' }).catch((e: unknown) => (caught = e));
    assert.instance(caught, InputError);
    assert.match((caught as Error).message, /needs a KV cache/);
  } finally {
    await plain.dispose();
    await cached.dispose();
  }
});

test.run();
