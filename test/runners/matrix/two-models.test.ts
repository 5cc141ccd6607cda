/**
 * Issue 22: a run over two models gives each model family exactly the comparisons of
 * that model's run alone — record cells, gate rules and results.csv rows. The second
 * model is stories260k when ../shared is present, else a copy of the bundled student
 * outside the package (a model of its own either way, so its GPTQ on the bundled corpus
 * is warned about).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath, sharedExternalDir } from '../../../core/paths.js';
import type { CellRecord, RunRecord } from '../../../core/run-record.js';
import { compileSchema } from '../../../core/schemas/index.js';
import { tooFewReason, type CiWidthRule } from '../../../core/stats/ci-width.js';
import { resultsCsv } from '../../../reports/csv.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { inlinePolicy } from '../../../reports/gate/policy.js';
import { OFF_DOMAIN_WARNING } from '../../../runners/compress/calibration-text.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { copyModelFolder, tempDir } from '../fixtures.js';
import { writeConfig } from './fixtures.js';

const test = suite('runners/matrix/two-models');
const quiet = (): void => {};

const TEXTS = [
  'Once upon a time there was a little girl. She liked to play in the park with her dog.',
  'The sun was hot, so the boy went to the lake. He jumped in the water and laughed.',
  'A small bird sat on a tree. It sang a happy song every morning.',
  'Tom had a red ball. He gave it to his friend, and they played all day.',
  'The cat was hungry. It looked for food in the kitchen and found some milk.',
  'Lily saw a big box. Inside the box was a toy car, and she was very happy.',
];

function writeSuites(): string[] {
  const ppl = tempDir('two-ppl');
  writeFileSync(join(ppl, 'data.jsonl'), TEXTS.map((text, i) => JSON.stringify({ id: `t${i}`, text, tags: { part: i % 2 === 0 ? 'even' : 'odd' } })).join('\n') + '\n');
  writeFileSync(join(ppl, 'suite.json'), JSON.stringify({ id: 'two-ppl', version: '1', description: 'short stories', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity'], slices: ['part'] }));
  const mc = tempDir('two-mc');
  const rows = [
    ['Once upon a', [' time', ' banana'], 'story'], ['The little girl was very', [' happy', ' concrete'], 'story'],
    ['The dog ran to the', [' park', ' seven'], 'place'], ['She drank a glass of', [' milk', ' chair'], 'food'],
    ['He went to sleep in his', [' bed', ' soup'], 'place'], ['They ate some', [' cake', ' window'], 'food'],
  ] as const;
  writeFileSync(join(mc, 'data.jsonl'), rows.map(([question, choices, topic], i) => JSON.stringify({ id: `q${i}`, question, choices, answer: 0, tags: { topic } })).join('\n') + '\n');
  writeFileSync(join(mc, 'suite.json'), JSON.stringify({ id: 'two-mc', version: '1', description: 'six items', dataset: 'data.jsonl', kind: 'multiple_choice', template: '{question}', choicesField: 'choices', answerField: 'answer', metrics: ['acc'], slices: ['topic'] }));
  return [ppl, mc];
}

interface Model { readonly id: string; readonly dir: string }

function config(models: readonly Model[], suites: readonly string[], cacheDir: string): string {
  const ids = models.map((m) => m.id);
  const own = ids.filter((id) => id !== 'teacher');
  return writeConfig({
    models,
    methods: [
      { method: 'rtn', bits: [8, 4], group: 'channel', models: ids },
      { method: 'magnitude', sparsity: 0.5, models: ids },
      ...(own.length > 0 ? [{ method: 'gptq', bits: 4, group: 'channel', models: own }] : []),
    ],
    suites,
    seed: 7,
    calibration: { nSequences: 4, seqLen: 32 },
    measurement: { enabled: false },
    execution: { workers: 2, shardSize: 4 },
    cacheDir,
  });
}

const POLICY = inlinePolicy({
  rules: [
    { id: 'mc.ni', kind: 'noninferiority', suite: 'two-mc', metric: 'acc', margin: 0.5 },
    { id: 'ppl.rel', kind: 'relative_drop', suite: 'two-ppl', metric: 'perplexity', tolerance: 0.5 },
    { id: 'mc.floor', kind: 'floor', suite: 'two-mc', metric: 'acc', min: 0 },
  ],
}, 'test policy');

function familyCells(record: RunRecord, model: string): unknown[] {
  const ids = new Set(record.variants.filter((v) => v.model === model).map((v) => v.id));
  return record.cells.filter((c) => ids.has(c.variantId)).map(({ durationMs: _d, ...c }: CellRecord) => c);
}

function familyCsv(record: RunRecord, model: string): string[] {
  const lines = resultsCsv(record).trim().split('\n');
  return lines.slice(1).filter((l) => l.split(',')[2] === model).map((l) => l.slice(l.indexOf(',')));
}

test('two models: each family gets exactly the comparisons of its own single-model run', async () => {
  const ext = sharedExternalDir();
  if (!ext) console.log('SKIP stories260k in the two-model test: ../shared/external not found; a copy of the bundled student stands in');
  const teacher: Model = { id: 'teacher', dir: packagePath('datasets', 'models', 'teacher') };
  const other: Model = ext ? { id: 'stories260k', dir: join(ext, 'stories260k') } : { id: 'own', dir: copyModelFolder(packagePath('datasets', 'models', 'student')) };
  const suites = writeSuites();
  const cacheDir = tempDir('two-cache');
  const both = (await runMatrix({ configFile: config([teacher, other], suites, cacheDir), outDir: tempDir('two-out') }, quiet)).record;
  const alone = {
    teacher: (await runMatrix({ configFile: config([teacher], suites, cacheDir), outDir: tempDir('one-out') }, quiet)).record,
    [other.id]: (await runMatrix({ configFile: config([other], suites, cacheDir), outDir: tempDir('one-out') }, quiet)).record,
  };
  assert.is(both.complete, true);
  assert.is(both.pairing, 'parent');
  const schema = compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as object);
  assert.equal(schema(JSON.parse(JSON.stringify(both)), { file: 'run.json' }), []);

  // Pairing: compressed variants against their own model; the two models stand on their own.
  const parent = Object.fromEntries(both.variants.map((v) => [v.id, v.comparedTo ?? null]));
  assert.equal(parent, {
    teacher: null, [other.id]: null,
    'teacher/rtn-w8-gch': 'teacher', 'teacher/rtn-w4-gch': 'teacher', 'teacher/magnitude-50pct': 'teacher',
    [`${other.id}/rtn-w8-gch`]: other.id, [`${other.id}/rtn-w4-gch`]: other.id, [`${other.id}/magnitude-50pct`]: other.id, [`${other.id}/gptq-w4-gch`]: other.id,
  });
  for (const c of both.cells) assert.is(c.state === 'ok' && c.vsBaseline !== undefined, parent[c.variantId] !== null, `${c.variantId} × ${c.suiteId}`);

  for (const model of ['teacher', other.id]) {
    assert.equal(familyCells(both, model), familyCells(alone[model], model), `${model}: cells`);
    assert.equal(familyCsv(both, model), familyCsv(alone[model], model), `${model}: results.csv rows`);
    const gateOf = (r: RunRecord): unknown[] => evaluateGate(r, POLICY.policy, POLICY.source).rules.filter((x) => x.variantId.split('/')[0] === model);
    assert.equal(gateOf(both), gateOf(alone[model]), `${model}: gate rules`);
  }

  // Per-slice paired Δ: each slice compared on its own instances.
  const cell = both.cells.find((c) => c.variantId === `${other.id}/rtn-w4-gch` && c.suiteId === 'two-mc');
  const slices = (cell?.state === 'ok' ? cell.vsBaseline?.slices : undefined) as { tag: string; slice: string; paired: number }[] | undefined;
  assert.equal(slices?.map((s) => `${s.tag}=${s.slice}:${s.paired}`), ['topic=food:2', 'topic=place:2', 'topic=story:2']);
  const csv = resultsCsv(both).split('\n');
  assert.ok(csv.some((l) => l.includes(`${other.id}/rtn-w4-gch,${other.id},${other.id},`) && l.includes(',topic=food,')), 'a slice row names its parent');

  // Calibration: GPTQ on the model of its own read the bundled corpus, and says so.
  const gptq = both.variants.find((v) => v.id === `${other.id}/gptq-w4-gch`)!;
  assert.is(gptq.calibration?.kind, 'bundled');
  assert.is(gptq.calibration?.warning, OFF_DOMAIN_WARNING);
  assert.match(gptq.calibration?.textSha256 ?? '', /^[0-9a-f]{64}$/);

  // The too-few rule on the two models' perplexity: flagged exactly when the stated width exceeds its bound.
  for (const id of ['teacher', other.id]) {
    const c = both.cells.find((x) => x.variantId === id && x.suiteId === 'two-ppl');
    const m = (c?.state === 'ok' ? (c.aggregate.metrics as Record<string, { overall: { n: number; value: number; low: number; high: number; tooFew: boolean }; ciWidthRule: CiWidthRule }>).perplexity : undefined)!;
    assert.equal(m.ciWidthRule, { width: 'relative', maxCiWidth: 0.2, minN: 2 });
    assert.is(m.overall.tooFew, tooFewReason(m.overall, m.ciWidthRule) !== null, id);
  }
});

test.run();
