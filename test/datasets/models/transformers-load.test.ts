import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';

const test = suite('datasets/models/transformers-load');
const PROMPT = 'Please give answer to this question: What is the capital of France?\nThe answer is ';

for (const name of ['teacher', 'student']) {
  test(`${name}: @huggingface/transformers loads the folder offline and matches ORT`, async () => {
    const root = packagePath('datasets', 'models');
    if (!existsSync(join(root, name, 'onnx', 'model.onnx'))) {
      console.log(`SKIP ${name}: datasets/models/${name}/onnx/model.onnx not exported yet`);
      return;
    }
    env.allowRemoteModels = false;
    env.localModelPath = root;
    const tok = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
    const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', local_files_only: true });
    const enc = tok(PROMPT) as { input_ids: Tensor; attention_mask: Tensor };
    const ids = Array.from(enc.input_ids.data as BigInt64Array, Number);
    assert.is(ids[0], 1, 'transformers.js tokenizer prepends <s>');
    const out = (await model({ input_ids: enc.input_ids, attention_mask: enc.attention_mask })) as { logits: Tensor };
    const hf = out.logits.data as Float32Array;

    const cfg = JSON.parse(readFileSync(join(root, name, 'config.json'), 'utf8'));
    const session = await ort.InferenceSession.create(join(root, name, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
    const n = ids.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(i))), [1, n]),
    };
    for (let i = 0; i < cfg.num_hidden_layers; i++) {
      for (const kv of ['key', 'value']) {
        feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, cfg.num_key_value_heads, 0, cfg.head_dim]);
      }
    }
    const ref = (await session.run(feeds)).logits.data as Float32Array;
    assert.is(hf.length, ref.length);
    let maxAbs = 0;
    for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(hf[i] - ref[i]));
    console.log(`${name}: transformers.js vs ORT max abs logit diff ${maxAbs}`);
    assert.ok(maxAbs < 1e-4, `max abs diff ${maxAbs}`);
  });
}

test.run();
