import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSchema } from '../../../core/schemas/index.js';
import { evaluateModels } from '../../../runners/run/evaluate-models.js';
import { storiesDir } from '../fixtures.js';
import { writeTinySuites } from '../matrix/fixtures.js';
// The CLI (`compbench run`) is tested in test/runners/matrix/run-matrix.test.ts.

const test = suite('runners/run/evaluate-models');
const SCHEMA_FILE = fileURLToPath(new URL('../../../../core/schemas/run-record.schema.json', import.meta.url));

test('two models × two suites: schema-valid record, paired comparison, known NLL', async () => {
  const dir = storiesDir('run record on stories260k');
  if (!dir) return;
  const tiny = writeTinySuites(join(dir, '..'));
  const suiteDirs = [tiny.ppl, tiny.mc];
  const { record, instances } = await evaluateModels(
    { models: [{ id: 'base', dir }, { id: 'same', dir }], suiteDirs, seed: 1, intraOpNumThreads: 1 },
    () => {},
  );
  const problems = compileSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')))(JSON.parse(JSON.stringify(record)), { file: 'run.json' });
  assert.equal(problems, []);
  assert.is(record.complete, true);
  assert.is(record.cells.length, 4);
  assert.is(instances.length, 2 * (5 + 2));
  const base = record.cells.find((c) => c.variantId === 'base' && c.suiteId === 'stories-ppl');
  assert.ok(base && base.state === 'ok');
  const ppl = (base.aggregate.metrics as Record<string, { overall: { value: number } }>).perplexity.overall.value;
  // stories260k README: mean NLL 1.2664 nats/token on this sample -> perplexity e^1.2664
  assert.ok(Math.abs(ppl - Math.exp(1.2664)) < 1e-3, `perplexity ${ppl}`);
  const same = record.cells.find((c) => c.variantId === 'same' && c.suiteId === 'stories-mc');
  assert.ok(same && same.state === 'ok' && same.vsBaseline);
  const delta = (same.vsBaseline.metrics as Record<string, { delta: { delta: number; n: number } }>).acc.delta;
  assert.is(delta.n, 2);
  assert.is(delta.delta, 0, 'the same model has Δ = 0 against itself');
});

test.run();
