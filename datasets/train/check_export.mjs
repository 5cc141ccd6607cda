// Measures, for the model card, ORT vs the torch fixture (left-padded prefill and KV-cached
// continuation) and @huggingface/transformers vs ORT on one prompt. The pass/fail versions
// are the uvu tests in test/datasets/models/.
//   node datasets/train/check_export.mjs teacher > datasets/train/logs/teacher-checks.json
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';

const name = process.argv[2];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models');
const dir = join(root, name);
const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
const fx = JSON.parse(readFileSync(join(dir, 'parity-fixture.json'), 'utf8'));
const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
const i64 = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
const kv = Array.from({ length: cfg.num_hidden_layers }, (_, i) => [`${i}.key`, `${i}.value`]).flat();
function diff(logits, step) {
  const [b, s, v] = logits.dims;
  let m = 0;
  for (let r = 0; r < b; r++) for (let p = 0; p < s; p++) for (let j = 0; j < fx.vocab_slice; j++) {
    m = Math.max(m, Math.abs(logits.data[(r * s + p) * v + j] - step.logits_slice[r][p][j]));
  }
  return m;
}
const feeds = { input_ids: i64(fx.prefill.input_ids), attention_mask: i64(fx.prefill.attention_mask), position_ids: i64(fx.prefill.position_ids) };
for (const n of kv) feeds[`past_key_values.${n}`] = new ort.Tensor('float32', new Float32Array(0), [2, cfg.num_key_value_heads, 0, cfg.head_dim]);
const out = await session.run(feeds);
const feeds2 = { input_ids: i64(fx.continuation.input_ids), attention_mask: i64(fx.continuation.attention_mask), position_ids: i64(fx.continuation.position_ids) };
for (const n of kv) feeds2[`past_key_values.${n}`] = out[`present.${n}`];
const out2 = await session.run(feeds2);

env.allowRemoteModels = false;
env.localModelPath = root;
const prompt = 'Please give answer to this question: Which city is the capital of France?\nThe answer is ';
const tok = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', local_files_only: true });
const enc = tok(prompt);
const hf = (await model({ input_ids: enc.input_ids, attention_mask: enc.attention_mask })).logits.data;
const ids = Array.from(enc.input_ids.data, Number);
const f3 = { input_ids: i64([ids]), attention_mask: i64([ids.map(() => 1)]), position_ids: i64([ids.map((_, i) => i)]) };
for (const n of kv) f3[`past_key_values.${n}`] = new ort.Tensor('float32', new Float32Array(0), [1, cfg.num_key_value_heads, 0, cfg.head_dim]);
const ref = (await session.run(f3)).logits.data;
let hfDiff = 0;
for (let i = 0; i < ref.length; i++) hfDiff = Math.max(hfDiff, Math.abs(hf[i] - ref[i]));
const gen = await model.generate({ ...enc, max_new_tokens: 8, do_sample: false });
const text = tok.decode(Array.from(gen.data, Number).slice(ids.length), { skip_special_tokens: true });
console.log(JSON.stringify({
  ort_vs_torch_prefill_left_padded_max_abs: diff(out.logits, fx.prefill),
  ort_vs_torch_kv_continuation_max_abs: diff(out2.logits, fx.continuation),
  transformersjs_loads_offline: true,
  transformersjs_vs_ort_max_abs: hfDiff,
  transformersjs_greedy_answer: JSON.stringify(text.split('\n')[0]),
  onnxruntime_node: JSON.parse(readFileSync(resolve(root, '..', '..', 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version,
}));
