/**
 * Issue 13 part 3 in the matrix: `{ "method": "gguf", "types": [...] }` makes one llama.cpp
 * variant per type from the ONNX base (exported to F32 GGUF, quantized by llama.cpp), run
 * packed by llama.cpp and measured like every packed variant; the F32 export scores as the
 * ONNX model does (the cross-backend bound), and a KV cache type is a packed llama.cpp setting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelsSection } from '../../../reports/sections/kernels.js';
import { loadRunConfig, readConfigFile } from '../../../runners/matrix/config.js';
import { planVariants } from '../../../runners/matrix/plan.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { studentDir, tempDir } from '../fixtures.js';
import { inputErrorOf, recordSchemaProblems, TINY_MC_ROWS, variantLogprobs, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/gguf');
const quiet = (): void => {};

test('a gguf entry sweeps "types"; kvCache and imatrix name the variant; an unknown type names its JSON path', () => {
  const student = studentDir('gguf config');
  if (!student) return;
  const file = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'gguf', types: ['F32', 'Q4_K_M', 'Q2_K'] }, { method: 'gguf', type: 'Q8_0', kvCache: 'q8_0' }, { method: 'gguf', type: 'Q4_K_M', imatrix: true }],
    suites: ['reasoning'],
  });
  const plans = planVariants(loadRunConfig(file));
  assert.equal(plans.map((p) => p.id), ['student', 'student/gguf-F32', 'student/gguf-Q4_K_M', 'student/gguf-Q2_K', 'student/gguf-Q8_0-kvq8_0', 'student/gguf-Q4_K_M-imatrix']);
  assert.equal(plans[4].compress?.params, { type: 'Q8_0', kvCache: 'q8_0' });
  const bad = writeConfig({}, '{\n  "methods": [\n    { "method": "gguf", "types": ["Q4_K_M", "Q4_K_X"] }\n  ]\n}\n');
  const msg = inputErrorOf(() => readConfigFile(bad));
  assert.match(msg, `${bad}:3: $.methods[0].types[1]`);
  assert.match(msg, /Q4_K_M/);
  const f32 = writeConfig({ models: [{ id: 'student', dir: student }], methods: [{ method: 'gguf', type: 'F32', imatrix: true }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => planVariants(loadRunConfig(f32))), '$.methods[0]: gguf: imatrix applies to quantized types');
});

test('a tiny run: GGUF variants are packed, run by llama.cpp, measured; F32 scores as the ONNX model; Q4_0 and a q8_0 cache move the scores', async () => {
  const student = studentDir('gguf run');
  if (!student) return;
  const config = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'gguf', types: ['F32', 'Q4_0'] }, { method: 'gguf', type: 'F32', kvCache: 'q8_0' }],
    suites: [writeMcSuite(TINY_MC_ROWS)],
    seed: 1,
    // reuse on: the q8_0-cache variant has the F32 variant's file, yet is measured itself
    measurement: { enabled: true, reuse: true, settings: { promptTokens: 8, prefillRepeats: 1, warmupTokens: 1, decodeTokens: 4 } },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  assert.is(r.record.complete, true);
  assert.equal(recordSchemaProblems(r.record), [], 'the record passes its schema');
  const byId = new Map(r.record.variants.map((v) => [v.id, v]));
  const base = byId.get('student')!;
  const f32 = byId.get('student/gguf-F32')!;
  const q4 = byId.get('student/gguf-Q4_0')!;
  const kv = byId.get('student/gguf-F32-kvq8_0')!;
  assert.equal(base.backend?.backend, 'onnxruntime');
  for (const v of [f32, q4, kv]) {
    assert.is(v.method, 'gguf');
    assert.is(v.executionForm, 'packed');
    assert.ok(v.backend?.backend === 'llama.cpp' && v.backend.cpuVariant !== '' && v.backend.nodeLlamaCpp === '3.22.1', JSON.stringify(v.backend));
    assert.equal(v.files?.map((f) => f.path), ['model.gguf']);
  }
  assert.ok(q4.sizeBytes < f32.sizeBytes / 4, `Q4_0 ${q4.sizeBytes} B vs F32 ${f32.sizeBytes} B`);
  assert.ok(kv.backend?.backend === 'llama.cpp' && kv.backend.kvCache.key === 'Q8_0' && kv.backend.flashAttention);
  // student: 2 layers × 2 × 4 KV heads × 32 head_dim = 512 elements; q8_0 34/32 bytes each, stored so by llama.cpp
  assert.equal(kv.kvCache, { form: 'q8_0', bytesPerToken: 544, fp32BytesPerToken: 2048, residualWindowBytes: 0 });
  assert.is(f32.kvCache, undefined);
  const kernels = JSON.stringify(kernelsSection({ record: r.record, instances: [] }).section);
  assert.match(kernels, /"kv-cache-bytes"/);
  assert.match(kernels, /student\/gguf-F32-kvq8_0","q8_0","packed"/);
  const manifest = JSON.parse(readFileSync(join(q4.dir, 'compression.json'), 'utf8'));
  assert.is(manifest.gguf.quantization.type, 'Q4_0');
  assert.ok(manifest.gguf.quantization.tensors.some((t: { actualType: string }) => t.actualType === 'Q4_0'));
  const measured = new Map((r.record.measurements ?? []).map((m) => [m.variantId, m]));
  for (const id of [f32.id, q4.id, kv.id]) {
    const m = measured.get(id);
    assert.ok(m && m.state === 'measured' && m.decode.tokensPerS > 0 && m.peakRssBytes > 0 && m.replayed !== true, `${id}: ${JSON.stringify(m)}`);
  }
  assert.is(kv.modelSha256, f32.modelSha256, 'the KV variant runs the F32 file');
  const logprobs = (variant: string): number[] => variantLogprobs(r.outDir, variant);
  const [a, b, c, d] = [logprobs('student'), logprobs(f32.id), logprobs(q4.id), logprobs(kv.id)];
  assert.is(a.length, 4);
  // llama.cpp F32 vs onnxruntime fp32, same weights: ≤ 1e-4 nats per request (measured 2e-6 per token on stories260k)
  assert.ok(a.every((x, i) => Math.abs(x - b[i]) < 1e-4), `onnx ${a} vs gguf F32 ${b}`);
  assert.ok(a.some((x, i) => Math.abs(x - c[i]) > 1e-3), `Q4_0 moves the scores: ${a} vs ${c}`);
  assert.ok(b.some((x, i) => x !== d[i]), `a q8_0 cache moves the scores: ${b} vs ${d}`);
});

test.run();
