/**
 * Issue 13 part 5: KV-cache quantization as a variant of the matrix. A kv-cache variant is
 * the base weights plus compression.json `runtime.kvCache`; it is simulated, so it gets no
 * latency or memory figure, and its record carries the KV bytes per token of its form.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRunConfig, readConfigFile } from '../../../runners/matrix/config.js';
import { KV_SIMULATED_REASON } from '../../../runners/matrix/measure-step.js';
import { planVariants } from '../../../runners/matrix/plan.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { studentDir, tempDir } from '../fixtures.js';
import { inputErrorOf, recordSchemaProblems, TINY_MC_ROWS, variantLogprobs, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/kv-cache');
const quiet = (): void => {};

test('a kv-cache entry sweeps "types" into one variant per cache form; an unknown type names its JSON path', () => {
  const student = studentDir('kv-cache config');
  if (!student) return;
  const file = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'kv-cache', types: ['q8_0', 'q4_0', 'kivi2'] }, { method: 'kv-cache', type: 'kivi2', group: 16, residual: 64 }],
    suites: ['reasoning'],
  });
  const plans = planVariants(loadRunConfig(file));
  assert.equal(plans.map((p) => p.id), ['student', 'student/kv-cache-q8_0', 'student/kv-cache-q4_0', 'student/kv-cache-kivi2', 'student/kv-cache-kivi2-g16-r64']);
  assert.equal(plans[4].compress?.params, { type: 'kivi2', group: 16, residual: 64 });
  const bad = writeConfig({}, '{\n  "methods": [\n    { "method": "kv-cache", "types": ["q8_0", "q3_k"] }\n  ]\n}\n');
  const msg = inputErrorOf(() => readConfigFile(bad));
  assert.match(msg, `${bad}:3: $.methods[0].types[1]`);
  assert.match(msg, /q8_0, q4_0, kivi2/);
  const group = writeConfig({ models: [{ id: 'student', dir: student }], methods: [{ method: 'kv-cache', types: ['q8_0'], group: 16 }], suites: ['reasoning'] });
  assert.match(inputErrorOf(() => planVariants(loadRunConfig(group))), '$.methods[0]: kv-cache: group and residual apply to type kivi2 only');
});

test('a tiny run with a kv-cache variant: base weights, runtime.kvCache, simulated, no latency, KV bytes recorded', async () => {
  const student = studentDir('kv-cache run');
  if (!student) return;
  const config = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'kv-cache', types: ['q4_0'] }],
    suites: [writeMcSuite(TINY_MC_ROWS)],
    seed: 1,
    measurement: { enabled: true, reuse: false, settings: { promptTokens: 8, prefillRepeats: 1, warmupTokens: 1, decodeTokens: 4 } },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  assert.is(r.record.complete, true);
  assert.equal(recordSchemaProblems(r.record), [], 'the record passes its schema');
  const [base, kv] = r.record.variants;
  assert.equal([base.id, kv.id, kv.method, kv.executionForm], ['student', 'student/kv-cache-q4_0', 'kv-cache', 'simulated']);
  assert.is(kv.modelSha256, base.modelSha256, 'the weights are the base model\'s');
  assert.is(statSync(join(kv.dir, 'onnx', 'model.onnx')).size, statSync(join(student, 'onnx', 'model.onnx')).size);
  const manifest = JSON.parse(readFileSync(join(kv.dir, 'compression.json'), 'utf8'));
  assert.equal(manifest.runtime, { kvCache: { type: 'q4_0' } });
  assert.equal(manifest.params, { type: 'q4_0', group: 32, residual: 0 });
  // student: 2 layers × 2 × 4 KV heads × 32 head_dim = 512 elements; q4_0 18/32 bytes each
  assert.equal(kv.kvCache, { form: 'q4_0', bytesPerToken: 288, fp32BytesPerToken: 2048, residualWindowBytes: 0 });
  const measured = new Map((r.record.measurements ?? []).map((m) => [m.variantId, m]));
  assert.is(measured.get('student')?.state, 'measured');
  const m = measured.get('student/kv-cache-q4_0');
  assert.ok(m && m.state === 'not-applicable' && m.reason === KV_SIMULATED_REASON, JSON.stringify(m));
  assert.not.ok('latency' in (m as object) || 'decode' in (m as object), 'no speed figure');
  const cell = r.record.cells.find((c) => c.variantId === kv.id);
  assert.ok(cell && cell.state === 'ok' && cell.vsBaseline, 'the variant is evaluated and compared with its base');
  // the worker opened the folder with its runtime.kvCache: same weights, other log-probabilities
  const logprobs = (variant: string): number[] => variantLogprobs(r.outDir, variant);
  const [a, b] = [logprobs('student'), logprobs(kv.id)];
  assert.is(a.length, 4);
  assert.ok(a.every((x, i) => x !== b[i] && Math.abs(x - b[i]) < 2), `base ${a} vs q4_0 cache ${b}`);
});

test.run();
