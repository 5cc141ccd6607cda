import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { packagePath } from '../../../../core/paths.js';
import type { RollingResponse } from '../../../../core/requests.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import type { KvCacheOption } from '../../../../runners/backends/onnxruntime/kv-quantizer.js';
import { teacherDir, tempDir } from '../../fixtures.js';

const test = suite('runners/kv-quant-path');

const lines = readFileSync(packagePath('datasets', 'corpus', 'heldout-text.txt'), 'utf8').split('\n');
/** 12 texts of 14 held-out lines (160–230 tokens each: every KIVI key group leaves the residual several times). */
const TEXTS = Array.from({ length: 12 }, (_, i) => ({ text: lines.slice(i * 14, i * 14 + 14).join('\n') }));
/** 16 question/answer pairs of the held-out text. */
const PAIRS = Array.from({ length: 16 }, (_, i) => ({ context: `${lines[2 * i]}\n`, continuation: lines[2 * i + 1] }));

async function run(dir: string, kvCache: KvCacheOption | null): Promise<{ rolling: RollingResponse[]; ll: number[]; rollingMs: number; llMs: number }> {
  const adapter = await OnnxDecoderAdapter.load(dir, { kvCache });
  try {
    let t0 = performance.now();
    const rolling = await adapter.rolling(TEXTS);
    const rollingMs = performance.now() - t0;
    t0 = performance.now();
    const ll = (await adapter.loglikelihood(PAIRS)).map((r) => r.logprob);
    return { rolling, ll, rollingMs, llMs: performance.now() - t0 };
  } finally {
    await adapter.dispose();
  }
}

/** Mean over tokens of |NLL difference| per text, and the largest loglikelihood difference. */
function damage(a: Awaited<ReturnType<typeof run>>, ref: Awaited<ReturnType<typeof run>>): { perToken: number; signed: number; llMax: number } {
  const tokens = ref.rolling.reduce((s, r) => s + r.tokenCount, 0);
  const perToken = a.rolling.reduce((s, r, i) => s + Math.abs(r.nllSum - ref.rolling[i].nllSum), 0) / tokens;
  const signed = a.rolling.reduce((s, r, i) => s + r.nllSum - ref.rolling[i].nllSum, 0) / tokens;
  return { perToken, signed, llMax: Math.max(...a.ll.map((x, i) => Math.abs(x - ref.ll[i]))) };
}

test('teacher: the incremental path reads the cache (f32 = full forward), q8_0 is close, q4_0 and kivi2 are further off', async () => {
  const dir = teacherDir('kv-quant-path');
  if (!dir) return;
  const full = await run(dir, null);
  const f32 = await run(dir, { type: 'f32' });
  for (let i = 0; i < TEXTS.length; i++) assert.is(f32.rolling[i].tokenCount, full.rolling[i].tokenCount);
  const exact = damage(f32, full);
  // measured: 3e-8 nats/token, 5e-6 nats per pair (float32 rounding of two computation orders)
  assert.ok(exact.perToken < 1e-6 && exact.llMax < 1e-4, `f32 incremental vs full forward: ${JSON.stringify(exact)}`);
  const figures: Record<string, ReturnType<typeof damage> & { ms: string }> = {};
  const options = [{ type: 'q8_0' }, { type: 'q4_0' }, { type: 'kivi2' }, { type: 'q8_0', selfRead: 'fp32' }, { type: 'q4_0', selfRead: 'fp32' }] as KvCacheOption[];
  for (const option of options) {
    const r = await run(dir, option);
    figures[`${option.type}${option.selfRead ? `/self ${option.selfRead}` : ''}`] = { ...damage(r, full), ms: `${r.rollingMs.toFixed(0)}/${r.llMs.toFixed(0)} ms` };
  }
  console.log(`vs fp32 (${full.rolling.reduce((s, r) => s + r.tokenCount, 0)} tokens; mean |ΔNLL| nats/token, signed ΔNLL nats/token, max |Δ logprob| of 16 pairs):`);
  console.log(`  f32 incremental: ${exact.perToken.toExponential(2)} ${exact.signed.toExponential(2)} ${exact.llMax.toExponential(2)}`);
  for (const [k, d] of Object.entries(figures)) console.log(`  ${k}: ${d.perToken.toExponential(2)} ${d.signed.toExponential(2)} ${d.llMax.toExponential(2)} (rolling/loglikelihood ${d.ms})`);
  console.log(`  time rolling/loglikelihood: full forward ${full.rollingMs.toFixed(0)}/${full.llMs.toFixed(0)} ms; f32 incremental ${f32.rollingMs.toFixed(0)}/${f32.llMs.toFixed(0)} ms`);
  // measured: q8_0 1.3e-4 nats/token and 0.028 per pair; q4_0 4.5e-3, kivi2 2.6e-3 (20–34× q8_0)
  assert.ok(figures.q8_0.perToken < 5e-4 && figures.q8_0.llMax < 0.05, 'q8_0 is close to fp32');
  assert.ok(figures.q8_0.perToken > exact.perToken * 10, 'q8_0 changes something: the quantized cache is read');
  for (const k of ['q4_0', 'kivi2']) assert.ok(figures[k].perToken > 5 * figures.q8_0.perToken, `${k} is further from fp32 than q8_0`);
  // reading its own key/value from the cache is a different computation (measured: q4_0 3.8e-3 with fp32 self)
  assert.ok(Math.abs(figures.q4_0.perToken - figures['q4_0/self fp32'].perToken) > 1e-4, 'selfRead changes the numbers');
});

test('teacher: requeryLast reads the newest token back from the cache: with an exact cache it equals the step', async () => {
  const dir = teacherDir('kv-quant-path requery');
  if (!dir) return;
  const adapter = await OnnxDecoderAdapter.load(dir, { kvCache: null });
  try {
    const { session } = adapter;
    const first = await session.forward([[1, 40, 41], [1, 50, 51]]);
    const step = await session.forward([[42], [52]], first.cache, 1);
    const again = await session.forward([[42], [52]], step.cache, 1, { requeryLast: true });
    let max = 0;
    for (let i = 0; i < step.logits.length; i++) max = Math.max(max, Math.abs(step.logits[i] - again.logits[i]));
    // measured 4e-6: the same attention over the same keys, summed in another order
    assert.ok(max < 1e-4, `max |Δ logit| ${max}`);
  } finally {
    await adapter.dispose();
  }
});

test('teacher: generation through the f32 cache equals the plain path; q8_0 generates', async () => {
  const dir = teacherDir('kv-quant-path generate');
  if (!dir) return;
  const requests = PAIRS.slice(0, 4).map((p) => ({ prompt: p.context, options: { maxNewTokens: 12, stop: ['\n'] } }));
  const plain = await OnnxDecoderAdapter.load(dir, { kvCache: null });
  const f32 = await OnnxDecoderAdapter.load(dir, { kvCache: { type: 'f32' } });
  const q8 = await OnnxDecoderAdapter.load(dir, { kvCache: { type: 'q8_0' } });
  try {
    const a = await plain.generate(requests);
    assert.equal(await f32.generate(requests), a);
    const q = await q8.generate(requests);
    assert.is(q.length, 4);
    console.log(`generate fp32: ${JSON.stringify(a.map((r) => r.text))}; q8_0: ${JSON.stringify(q.map((r) => r.text))}`);
  } finally {
    await Promise.all([plain.dispose(), f32.dispose(), q8.dispose()]);
  }
});

test('teacher: a request scores the same bits alone as in a batch (q8_0, kivi2), so per-instance caching holds', async () => {
  const dir = teacherDir('kv-quant-path invariance');
  if (!dir) return;
  const texts = TEXTS.slice(0, 4).map((t, i) => ({ text: t.text.split('\n').slice(0, 3 + i).join('\n') }));
  for (const kvCache of [{ type: 'q8_0' }, { type: 'kivi2' }] as KvCacheOption[]) {
    const adapter = await OnnxDecoderAdapter.load(dir, { kvCache });
    try {
      const all = await adapter.rolling(texts);
      const ll = await adapter.loglikelihood(PAIRS.slice(0, 5));
      for (let i = 0; i < texts.length; i++) assert.is((await adapter.rolling([texts[i]]))[0].nllSum, all[i].nllSum, `${kvCache.type} text ${i}`);
      for (let i = 0; i < 5; i++) assert.is((await adapter.loglikelihood([PAIRS[i]]))[0].logprob, ll[i].logprob, `${kvCache.type} pair ${i}`);
    } finally {
      await adapter.dispose();
    }
  }
});

test('compression.json runtime.kvCache is read when the option is absent; null overrides it; info records it', async () => {
  const dir = teacherDir('kv-quant-path folder');
  if (!dir) return;
  const out = tempDir('kv-folder');
  mkdirSync(join(out, 'onnx'));
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) copyFileSync(join(dir, f), join(out, f));
  copyFileSync(join(dir, 'onnx', 'model.onnx'), join(out, 'onnx', 'model.onnx'));
  writeFileSync(join(out, 'compression.json'), JSON.stringify({ method: 'kv-cache', runtime: { kvCache: { type: 'kivi2', group: 16, residual: 32 } } }));
  const fromFolder = await OnnxDecoderAdapter.load(out);
  assert.equal(fromFolder.info, { kvCache: { type: 'kivi2', simulated: true, group: 16, residual: 32, selfRead: 'cache' } });
  await fromFolder.dispose();
  const overridden = await OnnxDecoderAdapter.load(out, { kvCache: null });
  assert.equal(overridden.info, { kvCache: null });
  await overridden.dispose();
  writeFileSync(join(out, 'compression.json'), JSON.stringify({ runtime: { kvCache: { type: 'q2' } } }));
  try {
    await OnnxDecoderAdapter.load(out);
    assert.unreachable('bad runtime.kvCache');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /compression\.json: runtime\.kvCache\.type must be one of f32, q8_0, q4_0, kivi2, got "q2"/);
  }
});

test.run();
