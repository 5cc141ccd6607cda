/**
 * The bundled stories260K beside the teacher, each on its own suites (models[].suites), as the
 * default run has them: with --limit, both TinyStories suites run on the stories260K family
 * only, the teacher's suite on the teacher's only; the record, the derived gate, results.csv
 * and the change-record screening see two families, each against its own model.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { ranSuite } from '../../../core/pairing.js';
import { resultsCsv } from '../../../reports/csv.js';
import { screenVariant } from '../../../reports/change/screening.js';
import { defaultPolicy } from '../../../reports/gate/derive-policy.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { tempDir } from '../fixtures.js';
import { recordSchemaProblems, writeConfig } from './fixtures.js';

const test = suite('runners/matrix/stories-family');

test('stories260k and teacher, each on its own suites: cells, pairing, gate, CSV and screening per family', async () => {
  const config = writeConfig({
    models: [
      { id: 'teacher', dir: packagePath('datasets', 'models', 'teacher'), suites: ['perplexity'] },
      {
        id: 'stories260k', dir: packagePath('datasets', 'models', 'stories260k'), suites: ['tinystories-perplexity', 'tinystories-cloze'],
        calibration: { textFile: packagePath('datasets', 'tinystories', 'calibration-stories.txt'), nSequences: 4, seqLen: 64 },
      },
    ],
    baseline: 'teacher',
    methods: [
      { method: 'rtn', bits: 4, group: 32, models: ['teacher', 'stories260k'] },
      { method: 'gptq', bits: 4, group: 32, models: ['stories260k'] },
    ],
    suites: ['perplexity', 'tinystories-perplexity', 'tinystories-cloze'],
    seed: 3,
    calibration: { nSequences: 4, seqLen: 32 },
    measurement: { enabled: false },
    execution: { workers: 1, shardSize: 8 },
    cacheDir: tempDir('stories-cache'),
  });
  const { record } = await runMatrix({ configFile: config, outDir: tempDir('stories-out'), limit: 4 }, () => {});
  assert.equal(recordSchemaProblems(JSON.parse(JSON.stringify(record))), []);
  assert.is(record.complete, true);

  const cells = record.cells.map((c) => `${c.variantId} × ${c.suiteId}`).sort();
  assert.equal(cells, [
    'stories260k × tinystories-cloze', 'stories260k × tinystories-perplexity',
    'stories260k/gptq-w4-g32 × tinystories-cloze', 'stories260k/gptq-w4-g32 × tinystories-perplexity',
    'stories260k/rtn-w4-g32 × tinystories-cloze', 'stories260k/rtn-w4-g32 × tinystories-perplexity',
    'teacher × perplexity', 'teacher/rtn-w4-g32 × perplexity',
  ]);
  const suitesOf = Object.fromEntries(record.variants.map((v) => [v.id, v.suites]));
  assert.equal(suitesOf['teacher/rtn-w4-g32'], ['perplexity']);
  assert.equal(suitesOf['stories260k/gptq-w4-g32'], ['tinystories-perplexity', 'tinystories-cloze']);
  const parent = Object.fromEntries(record.variants.map((v) => [v.id, v.comparedTo ?? null]));
  assert.equal(parent, { teacher: null, stories260k: null, 'teacher/rtn-w4-g32': 'teacher', 'stories260k/rtn-w4-g32': 'stories260k', 'stories260k/gptq-w4-g32': 'stories260k' });

  // Both TinyStories suites ran on every stories260K variant with --limit, with their metrics and a comparison with stories260k.
  for (const id of ['stories260k/rtn-w4-g32', 'stories260k/gptq-w4-g32']) {
    for (const [suiteId, metric] of [['tinystories-perplexity', 'perplexity'], ['tinystories-cloze', 'word_acc'], ['tinystories-cloze', 'word_nll']]) {
      const cell = record.cells.find((c) => c.variantId === id && c.suiteId === suiteId);
      assert.ok(cell?.state === 'ok', `${id} × ${suiteId}`);
      if (cell?.state !== 'ok') continue;
      const m = (cell.aggregate.metrics as Record<string, { overall: { n: number; value: number } }>)[metric];
      assert.is(m.overall.n, 4, `${id} × ${suiteId} ${metric}`);
      assert.ok(Number.isFinite(m.overall.value));
      assert.ok(cell.vsBaseline !== undefined);
    }
  }
  assert.match(record.variants.find((x) => x.id === 'stories260k/gptq-w4-g32')?.calibration?.source ?? '', /calibration-stories\.txt$/);

  // The derived gate: one rule per suite, applied only where the suite ran, each variant against its own model.
  const { policy, source } = defaultPolicy(record);
  assert.equal(policy.rules.map((r) => [r.id, r.kind, r.metric, r.tolerance ?? r.margin]), [
    ['perplexity.relative', 'relative_drop', 'perplexity', 0.1],
    ['tinystories-perplexity.relative', 'relative_drop', 'perplexity', 0.1],
    ['tinystories-cloze.noninferiority', 'noninferiority', 'word_acc', 0.05],
  ]);
  // --limit 4 is below the derived minN (20): judge the small run on its values.
  const gate = evaluateGate(record, { ...policy, minN: 1 }, source);
  const judged = [...new Set(gate.rules.map((r) => `${r.variantId} × ${r.suiteId}`))].sort();
  assert.equal(judged, [
    'stories260k/gptq-w4-g32 × tinystories-cloze', 'stories260k/gptq-w4-g32 × tinystories-perplexity',
    'stories260k/rtn-w4-g32 × tinystories-cloze', 'stories260k/rtn-w4-g32 × tinystories-perplexity',
    'teacher/rtn-w4-g32 × perplexity',
  ]);
  assert.ok(gate.rules.every((r) => !/no cell|not evaluated/.test(r.reason)), gate.rules.map((r) => r.reason).join('\n'));
  // Δ is against stories260k's own value on the same instances.
  const value = (variantId: string): number => {
    const c = record.cells.find((x) => x.variantId === variantId && x.suiteId === 'tinystories-perplexity');
    return c?.state === 'ok' ? (c.aggregate.metrics as Record<string, { overall: { value: number } }>).perplexity.overall.value : NaN;
  };
  const rtn = record.cells.find((c) => c.variantId === 'stories260k/rtn-w4-g32' && c.suiteId === 'tinystories-perplexity');
  const delta = rtn?.state === 'ok' ? (rtn.vsBaseline?.metrics as Record<string, { delta: { delta: number } }>).perplexity.delta.delta : NaN;
  assert.ok(Math.abs(delta - (value('stories260k/rtn-w4-g32') - value('stories260k'))) < 1e-9, `Δ ${delta}`);

  // results.csv: rows of planned cells only, each naming its own family's parent.
  const rows = resultsCsv(record).trim().split('\n').slice(1).map((l) => l.split(','));
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.ok(ranSuite(record, r[1], r[6]), `${r[1]} × ${r[6]}`);
    if (r[1] !== r[2]) assert.is(r[3], r[2], `${r[1]} compared with its own model`);
  }

  // Change-record screening lists no suite the variant's model never runs as "not run".
  for (const v of record.variants.filter((x) => x.comparedTo !== undefined)) {
    const s = screenVariant(record, v, gate);
    assert.ok(s.findings.every((f) => !/not run/.test(f.text)), `${v.id}: ${s.findings.map((f) => f.text).join('; ')}`);
  }
});

test.run();
