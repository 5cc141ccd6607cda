import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readChangeLog } from '../../../reports/change/change-log.js';
import { renderReport } from '../../../reports/render.js';
import { writeFixtureRun } from '../fixtures.js';
import { renderFixture } from '../helpers.js';

const test = suite('reports/change/write');

const TITLES = [
  '1. Identity and lineage',
  '2. Description of the modification',
  '3. Substantial-modification screening',
  '4. Test protocol',
  '5. Results vs baseline',
  '6. Robustness and fairness analysis',
  '7. Risks added or changed',
  '8. Efficiency and energy',
  '9. Instructions-for-use deltas',
  '10. Monitoring',
  '11. Sign-off and retention',
  '12. Change log',
];

test('every change record has the twelve sections in order, in Markdown and HTML', async () => {
  const { root, result } = await renderFixture();
  for (const variant of ['teacher_rtn-w4-g128', 'teacher_rtn-w3-g128', 'teacher_gptq-w4-g128']) {
    const md = readFileSync(join(result.outDir, 'changes', `${variant}.md`), 'utf8');
    const html = readFileSync(join(result.outDir, 'changes', `${variant}.html`), 'utf8');
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).replace(/\\/gu, ''));
    assert.is(headings.length, 12, headings.join(' / '));
    headings.forEach((h, i) => assert.ok(h.startsWith(TITLES[i]), `${h} should start with ${TITLES[i]}`));
    let last = -1;
    for (const id of ['identity', 'modification', 'screening', 'protocol', 'results', 'fairness', 'risks', 'efficiency', 'instructions', 'monitoring', 'sign-off', 'change-log']) {
      const at = html.indexOf(`<section id="${id}">`);
      assert.ok(at > last, `${variant}.html: section ${id}`);
      last = at;
    }
  }
  rmSync(root, { recursive: true, force: true });
});

test('numbers in the change record are the run record\'s', async () => {
  const { root, record, result } = await renderFixture();
  const md = readFileSync(join(result.outDir, 'changes', 'teacher_rtn-w3-g128.md'), 'utf8');
  const variant = record.variants.find((v) => v.id === 'teacher/rtn-w3-g128')!;
  const base = record.variants.find((v) => v.id === 'teacher')!;
  assert.ok(md.includes(variant.modelSha256) && md.includes(base.modelSha256));
  assert.ok(md.includes(`(${variant.sizeBytes} bytes)`));
  for (const s of record.suites) assert.ok(md.includes(s.hash) && md.includes(`| ${s.id} |`));
  assert.ok(md.includes(record.runId) && md.includes(record.harness.gitSha!));
  const cell = record.cells.find((c) => c.variantId === variant.id && c.suiteId === 'knowledge-closed') as unknown as {
    aggregate: { metrics: { contains: { overall: { value: number; low: number; high: number; n: number } } } };
    vsBaseline: { metrics: { contains: { delta: { delta: number; low: number; high: number; n: number }; flips: { rightToWrong: number } } } };
  };
  const o = cell.aggregate.metrics.contains.overall;
  const d = cell.vsBaseline.metrics.contains.delta;
  // Shares are printed as percentages with one decimal, Δ in points (U+2212 for minus).
  const pct = (x: number): string => (x * 100).toFixed(1);
  const pp = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1)}`;
  assert.ok(md.includes(`${pct(o.value)}% \\[${pct(o.low)}, ${pct(o.high)}\\], n=${o.n}`), `variant value ${pct(o.value)}`);
  assert.ok(md.includes(`${pp(d.delta)} pp \\[${pp(d.low)}, ${pp(d.high)}\\], n=${d.n}`), `delta ${pp(d.delta)}`);
  assert.ok(md.includes(`${cell.vsBaseline.metrics.contains.flips.rightToWrong} right→wrong`));
  const measured = record.measurements!.find((m) => m.variantId === 'teacher')!;
  assert.is(measured.state, 'measured');
  assert.ok(md.includes('n/a (simulated)'));
  assert.ok(md.includes('E = TDP per core × process CPU seconds'));
  rmSync(root, { recursive: true, force: true });
});

test('screening: within / outside the declared envelope, and no envelope', async () => {
  const { root, result } = await renderFixture();
  const w4 = readFileSync(join(result.outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  const w3 = readFileSync(join(result.outDir, 'changes', 'teacher_rtn-w3-g128.md'), 'utf8');
  const gptq = readFileSync(join(result.outDir, 'changes', 'teacher_gptq-w4-g128.md'), 'utf8');
  assert.ok(w4.includes('Within the declared change envelope'), 'rtn w4 drops < 5 pp');
  assert.ok(w3.includes('Outside the declared change envelope'));
  assert.match(w3, /knowledge-closed contains: Δ −\d+\.\d pp exceeds the allowed drop of 5\.0 pp/u);
  assert.ok(gptq.includes('Outside the declared change envelope') && gptq.includes('errored, so the accuracy drop cannot be screened'));
  rmSync(root, { recursive: true, force: true });
});

test('the change log is append-only across runs: a second run appends one entry per variant and keeps the old lines', async () => {
  const { root, runDir, result } = await renderFixture();
  const logFile = join(root, 'runs', 'changes-log', 'teacher.jsonl');
  const first = readFileSync(logFile, 'utf8');
  assert.is(readChangeLog(logFile).length, 3);
  // Re-rendering the same run adds nothing.
  await renderReport(runDir, { pngs: false });
  assert.is(readFileSync(logFile, 'utf8'), first);
  const run2 = join(root, 'runs', 'run2');
  writeFixtureRun(run2, { runId: 'fixture-run-2', createdAt: '2026-01-03T00:00:00.000Z' });
  const second = await renderReport(run2, { pngs: false });
  const after = readFileSync(logFile, 'utf8');
  assert.ok(after.startsWith(first), 'old entries are byte-identical');
  const entries = readChangeLog(logFile);
  assert.is(entries.length, 6);
  assert.equal(entries.filter((e) => e.variantId === 'teacher/rtn-w4-g128').map((e) => e.runId), ['fixture-run-1', 'fixture-run-2']);
  const md = readFileSync(join(second.outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md.includes('6 entries in') && md.includes('fixture-run-1') && md.includes('fixture-run-2'));
  assert.ok(result.files.length > 0);
  rmSync(root, { recursive: true, force: true });
});

test('without a declared envelope the record says so', async () => {
  const { root } = await renderFixture();
  const dir = join(root, 'runs', 'no-envelope');
  const record = writeFixtureRun(dir, { runId: 'no-env' });
  const { changeEnvelope: _e, ...config } = record.config as Record<string, unknown>;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, config }));
  const out = await renderReport(dir, { pngs: false });
  const md = readFileSync(join(out.outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md.includes('No change envelope declared'));
  rmSync(root, { recursive: true, force: true });
});

test.run();
