import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../core/run-record.js';
import { packagePath } from '../../../core/paths.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { nanStudent, studentDir, tempDir } from '../fixtures.js';
import { writeConfig } from './fixtures.js';

const test = suite('runners/matrix/instance-faults (an instance that cannot run is a value; non-finite models never pass)');

/** A 20-item copy of knowledge-closed whose item `long` has a 3,000-word question (the student's context is 256 tokens). */
function suiteWithLongItem(): { dir: string; longId: string } {
  const dir = tempDir('suite-long');
  const spec = JSON.parse(readFileSync(packagePath('suites', 'knowledge-closed', 'suite.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ ...spec, id: 'kc-long' }));
  const rows = readFileSync(packagePath('suites', 'knowledge-closed', 'data.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 20).map((l) => JSON.parse(l) as Record<string, unknown>);
  rows[7] = { ...rows[7], question: `${'word '.repeat(3000)}?` };
  writeFileSync(join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { dir, longId: String(rows[7].id) };
}

const quiet = (): void => {};

test('one over-long question: 19 of 20 rows scored for every variant, the cell says why, validate --model names it', async () => {
  const student = studentDir('over-long item');
  if (!student) return;
  const { dir, longId } = suiteWithLongItem();
  const config = writeConfig({ models: [{ id: 'student', dir: student }], methods: [{ method: 'rtn', bits: 8 }], suites: [dir], measurement: { enabled: false }, execution: { workers: 1 }, cacheDir: tempDir('cache') });
  const out = tempDir('out');
  const r = await runMatrix({ configFile: config, outDir: out }, quiet);
  assert.is(r.record.variants.length, 2);
  for (const cell of r.record.cells) {
    assert.is(cell.state, 'ok', JSON.stringify(cell).slice(0, 300));
    if (cell.state !== 'ok') continue;
    assert.equal(cell.instanceErrors?.ids, [longId]);
    assert.match(cell.instanceErrors!.first, /the prompt has \d+ tokens but the model's context \(max_position_embeddings\) is 256/);
    assert.is((cell.aggregate as { scored: number }).scored, 19);
  }
  const lines = readFileSync(join(out, 'instances.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { variantId: string; state: string; template?: string });
  for (const v of ['student', 'student/rtn-w8']) {
    // The primary template's lines (the parent is also scored under the copied suite's template variants).
    const mine = lines.filter((l) => l.variantId === v && l.template === undefined);
    assert.is(mine.length, 20, `${v}: ${[...new Set(lines.map((l) => l.variantId))].join(', ')}`);
    assert.is(mine.filter((l) => l.state === 'scored').length, 19);
  }
  // The item fails in the baseline too (the input's fault): the gate pairs the other 19.
  const verdict = evaluateGate(r.record, { rules: [{ id: 'f', kind: 'floor', suite: 'kc-long', metric: 'contains', min: 0 }] }, { source: 't', sha256: '0'.repeat(64) });
  assert.is(verdict.verdict, 'pass', JSON.stringify(verdict.rules));
  const v = cli('suites', 'validate', dir, '--model', student);
  assert.is(v.code, 2, v.stdout + v.stderr);
  assert.match(v.stdout, new RegExp(`instance '${longId}': the prompt has \\d+ tokens`));
  assert.match(v.stdout, /1 instance\(s\) do not fit the context/);
});

test('a NaN model: every request kind errors its instances, its cells fail, the gate fails, generate exits 2', async () => {
  const student = studentDir('NaN model run');
  const bad = nanStudent();
  if (!student || !bad) return;
  const config = writeConfig({
    models: [{ id: 'student', dir: student }, { id: 'broken', dir: bad.dir }],
    methods: [],
    suites: [packagePath('suites', 'knowledge-closed'), packagePath('suites', 'fairness-people'), packagePath('suites', 'perplexity')],
    limit: 4, measurement: { enabled: false }, execution: { workers: 1 }, cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  const broken = r.record.cells.filter((c) => c.variantId === 'broken');
  assert.is(broken.length, 3);
  for (const c of broken) {
    assert.is(c.state, 'errored', c.suiteId);
    assert.match(c.state === 'errored' ? c.error : '', /every instance failed: non-finite logits/);
  }
  const record: RunRecord = r.record;
  const verdict = evaluateGate(record, { rules: [{ id: 'f', kind: 'floor', suite: 'knowledge-closed', metric: 'contains', min: 0, variants: 'broken' }] }, { source: 't', sha256: '0'.repeat(64) });
  assert.is(verdict.verdict, 'fail');
  const g = cli('generate', '--model', bad.dir, '--prompt', 'Once upon a time');
  assertOneLineError(g, /logits hold NaN or ±Inf.*the model is broken/);
});

test('a hand-edited cache line is rejected, counted in the record and recomputed to the same row', async () => {
  const student = studentDir('corrupt cache line');
  if (!student) return;
  const cacheDir = tempDir('cache');
  const config = writeConfig({ models: [{ id: 'student', dir: student }], methods: [], suites: [packagePath('suites', 'knowledge-closed')], limit: 4, measurement: { enabled: false }, execution: { workers: 1 }, cacheDir });
  const first = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  const results = join(cacheDir, 'results');
  const file = findJsonl(results);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  lines[1] = lines[1].replace(/"scores":\{[^}]*\}/, '"scores":"lol"');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const second = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  assert.is(second.computedInstances, 1);
  assert.equal(second.record.resultCache, { reusedInstances: 3, computedInstances: 1, rejectedLines: 1 });
  const rows = (r: typeof first): string => readFileSync(join(r.outDir, 'instances.jsonl'), 'utf8');
  assert.is(rows(second), rows(first), 'the recomputed row equals the original');
});

function findJsonl(dir: string): string {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const found = findJsonl(p);
      if (found) return found;
    } else if (name.endsWith('.jsonl')) return p;
  }
  return '';
}

test.run();
