import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { buildGgufVariant } from '../../../runners/compress/gguf/gguf-variant.js';
import { ggufSelfCheckPlan } from '../../../runners/compress/gguf/gguf-self-check.js';
import { describeSelfCheck, machineKey, SELF_CHECK_BOUNDS, selfCheckVariant, variantSelfCheckForm } from '../../../runners/compress/self-check.js';
import { importGguf } from '../../../runners/import/gguf-to-onnx.js';
import { readGgufFile } from '../../../runners/formats/gguf/index.js';
import { readModelFile } from '../../../runners/formats/onnx/index.js';
import { storiesDir, teacherDir, tempDir } from '../fixtures.js';

const test = suite('runners/compress/self-check of llama.cpp (GGUF) variants vs their fp32 twin');

const TYPES = ['F32', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q4_K_M', 'Q4_0', 'Q3_K_M', 'Q2_K'] as const;
const root = tempDir('gguf-self-check');
const built = new Map<string, string>();

/** The teacher's gguf variant of `type` (and KV cache), built once per test process. */
async function variant(type: string, kvCache = 'f32', model = teacherDir(`gguf self-check ${type}`), tag = 'teacher'): Promise<string | undefined> {
  if (!model) return undefined;
  const key = `${tag}-${type}-${kvCache}`;
  let dir = built.get(key);
  if (!dir) {
    dir = join(root, key);
    await buildGgufVariant(model, { method: 'gguf', params: { type, ...(kvCache === 'f32' ? {} : { kvCache }) } }, dir);
    built.set(key, dir);
  }
  return dir;
}

test('the form follows the weights and the KV cache; a bad cache type names the file', () => {
  const q = { tensors: [{ actualType: 'Q4_0' }, { actualType: 'F32' }] };
  assert.equal(ggufSelfCheckPlan({ method: 'gguf', params: { type: 'F32' } }, 'c.json'), { form: 'llama.cpp F32', kvCache: 'f32' });
  assert.equal(ggufSelfCheckPlan({ method: 'gguf', params: { type: 'Q4_0' }, gguf: { quantization: q } }, 'c.json'), { form: 'llama.cpp GGUF', kvCache: 'f32' });
  assert.equal(ggufSelfCheckPlan({ method: 'gguf', params: { type: 'F32' }, runtime: { kvCache: 'f16' } }, 'c.json'), { form: 'llama.cpp GGUF', kvCache: 'f16' });
  assert.equal(ggufSelfCheckPlan({ backend: 'llama.cpp', runtime: { kvCache: { type: 'q8_0' } } }, 'c.json'), { form: 'llama.cpp GGUF, q8_0 KV cache', kvCache: 'q8_0' });
  assert.equal(ggufSelfCheckPlan({ method: 'gguf', runtime: { kvCache: 'q4_0' } }, 'c.json').form, 'llama.cpp GGUF, q4_0 KV cache');
  assert.throws(() => ggufSelfCheckPlan({ method: 'gguf', runtime: { kvCache: 'kivi2' } }, '/v/compression.json'), (e: unknown) => e instanceof InputError && /\/v\/compression.json: runtime.kvCache "kivi2"/.test((e as Error).message));
  assert.is.not(machineKey('llama.cpp'), machineKey(), 'llama.cpp checks are kept apart from onnxruntime ones');
});

test("importGguf { weights: 'fp32' }: plain MatMul on float32 weights, no MatMulNBits, every tensor float32", async () => {
  const dir = await variant('Q4_0');
  if (!dir) return;
  const out = join(tempDir('gguf-fp32-import'), 'm');
  const r = await importGguf(join(dir, 'model.gguf'), out, { weights: 'fp32' });
  assert.ok(r.tensors.every((t) => t.form === 'float32'));
  assert.ok(r.tensors.some((t) => t.type === 'Q4_0'));
  const ops = new Set((readModelFile(join(out, 'onnx', 'model.onnx')).graph?.node ?? []).map((n) => n.op_type));
  assert.not.ok(ops.has('MatMulNBits'));
  assert.ok(ops.has('MatMul'));
});

test('every llama.cpp type passes on this CPU (F32 cache); figures printed; stored per machine and reused', async () => {
  const lines: string[] = [];
  for (const type of TYPES) {
    const dir = await variant(type);
    if (!dir) return;
    const form = type === 'F32' ? 'llama.cpp F32' : 'llama.cpp GGUF';
    assert.is(variantSelfCheckForm(dir), form, type);
    const r = await selfCheckVariant(dir, { reuse: false });
    assert.ok(r, type);
    lines.push(`  teacher ${type}: ${r.relRmsError.toExponential(2)} (twin built in ${r.machine.llamaCpp?.twinBuildMs} ms, ${r.machine.llamaCpp?.cpuVariant})`);
    assert.is(r.state, 'passed', `${type}: ${describeSelfCheck(r)}`);
    assert.is(r.form, form);
    assert.ok(r.relRmsError <= SELF_CHECK_BOUNDS[form], type);
    // the difference is llama.cpp's rounding of activations, not zero: the probe really compared
    assert.ok(type === 'F32' ? r.relRmsError < 1e-5 : r.relRmsError > 1e-3, `${type}: ${r.relRmsError}`);
    assert.ok(r.machine.llamaCpp && r.machine.llamaCpp.cpuVariant !== '' && r.machine.llamaCpp.kvCache === 'f32');
    assert.ok(existsSync(join(dir, 'self-check', `${machineKey('llama.cpp')}.json`)));
    const again = await selfCheckVariant(dir);
    assert.is(again?.reused, true);
    assert.is(again?.relRmsError, r.relRmsError);
  }
  console.log(lines.join('\n'));
});

test('a quantized KV cache is probed as the variant runs, under its own bound', async () => {
  for (const kv of ['q8_0', 'q4_0'] as const) {
    const dir = await variant('Q4_0', kv);
    if (!dir) return;
    const r = await selfCheckVariant(dir, { reuse: false });
    assert.ok(r);
    console.log(`  teacher Q4_0, ${kv} cache: ${r.relRmsError.toExponential(2)} (bound ${r.bound})`);
    assert.is(r.form, `llama.cpp GGUF, ${kv} KV cache`);
    assert.is(r.machine.llamaCpp?.kvCache, kv);
    assert.is(r.state, 'passed', describeSelfCheck(r));
  }
});

test('a twin from other weights is refused: Q4_0 vs a Q8_0 twin, Q2_K vs Q3_K_M, F32 vs Q8_0', async () => {
  for (const [v, t] of [['Q4_0', 'Q8_0'], ['Q2_K', 'Q3_K_M'], ['F32', 'Q8_0']] as const) {
    const dir = await variant(v);
    const other = await variant(t);
    if (!dir || !other) return;
    const r = await selfCheckVariant(dir, { ggufTwinSource: join(other, 'model.gguf') });
    assert.ok(r);
    console.log(`  teacher ${v} vs a ${t} twin: ${r.relRmsError.toExponential(2)} (bound ${r.bound})`);
    assert.is(r.state, 'invalid', `${v} vs ${t}: ${describeSelfCheck(r)}`);
    assert.match(describeSelfCheck(r), /^invalid on this hardware: llama\.cpp/);
    assert.ok(r.relRmsError > r.bound);
  }
  const fine = await variant('Q4_0');
  if (fine) assert.is((await selfCheckVariant(fine))?.state, 'passed', 'a wrong-twin probe stores nothing');
});

test('a twin whose head scales are doubled (one exponent step of each f16 d) is refused', async () => {
  const dir = await variant('Q8_0');
  if (!dir) return;
  const path = join(dir, 'model.gguf');
  const head = readGgufFile(path).tensors.find((t) => t.name === 'output.weight');
  assert.is(head?.type.name, 'Q8_0');
  const bytes = readFileSync(path);
  // Q8_0 block: f16 d, then 32 int8; d → 2d by adding one to the f16 exponent (all finite here)
  for (let o = head!.offset; o < head!.offset + head!.bytes; o += 34) bytes.writeUInt16LE(bytes.readUInt16LE(o) + 0x0400, o);
  const bad = join(tempDir('gguf-perturbed'), 'model.gguf');
  writeFileSync(bad, bytes);
  const r = await selfCheckVariant(dir, { ggufTwinSource: bad });
  assert.ok(r);
  console.log(`  teacher Q8_0 vs a twin with its head scales doubled: ${r.relRmsError.toExponential(2)} (bound ${r.bound})`);
  assert.is(r.state, 'invalid');
});

test('stories260k: every type (mixed fallback types) passes', async () => {
  const stories = storiesDir('stories260k GGUF self-check');
  if (!stories) return;
  const lines: string[] = [];
  for (const type of TYPES) {
    const dir = await variant(type, 'f32', stories, 'stories');
    if (!dir) return;
    const r = await selfCheckVariant(dir, { reuse: false });
    assert.ok(r);
    lines.push(`  stories260k ${type}: ${r.relRmsError.toExponential(2)}`);
    assert.is(r.state, 'passed', `${type}: ${describeSelfCheck(r)}`);
  }
  console.log(lines.join('\n'));
});

test.run();
