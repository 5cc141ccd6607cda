import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelsSection } from '../../../reports/sections/kernels.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { studentDir, tempDir } from '../fixtures.js';
import { recordSchemaProblems, TINY_MC_ROWS, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/self-check-step with a llama.cpp (GGUF) variant');

test('a tiny run with one gguf Q4_0 variant: checked on the worker pool, passed, its form in the record and the report', async () => {
  const model = studentDir('gguf self-check step');
  if (!model) return;
  const lines: string[] = [];
  const config = writeConfig({
    models: [{ id: 'student', dir: model }],
    methods: [{ method: 'gguf', types: ['Q4_0'] }],
    suites: [writeMcSuite(TINY_MC_ROWS)],
    seed: 1,
    measurement: { enabled: false },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, (l) => lines.push(l));
  assert.is(r.record.complete, true);
  const v = r.record.variants.find((x) => x.method === 'gguf');
  assert.ok(v, r.record.variants.map((x) => x.id).join(', '));
  assert.is(v.executionForm, 'packed');
  assert.is(v.selfCheck?.state, 'passed', JSON.stringify(v.selfCheck));
  assert.is(v.selfCheck?.form, 'llama.cpp GGUF');
  assert.ok(v.selfCheck!.relRmsError > 0 && v.selfCheck!.relRmsError <= v.selfCheck!.bound);
  assert.ok(v.selfCheck?.machine.llamaCpp?.cpuVariant);
  assert.ok(lines.some((l) => /self-checking 1 packed variants/.test(l)), lines.join('\n'));
  assert.ok(r.record.cells.some((c) => c.variantId === v.id && c.state === 'ok'), 'its cells are scored');
  assert.equal(recordSchemaProblems(r.record), []);
  const text = JSON.stringify(kernelsSection({ record: r.record, instances: [] }).section);
  assert.match(text, /llama\.cpp GGUF/);
});

test.run();
