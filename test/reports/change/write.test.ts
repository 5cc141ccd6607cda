import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readChangeLog } from '../../../reports/change/change-log.js';
import { writeChangeRecords } from '../../../reports/change/write.js';
import { loadRun } from '../../../reports/load-run.js';
import { renderReport } from '../../../reports/render.js';
import type { HistoryResult } from '../../../reports/sections/history.js';
import { FIXTURE_ENVELOPE, writeFixtureRun } from '../fixtures.js';
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
  assert.ok(w4.includes('Within the declared change envelope'), 'rtn w4: every bound holds and the gate passes it');
  assert.ok(w4.includes('declared in its own file envelopes/fixture.json, sha256 5555'));
  assert.ok(w3.includes('Outside the declared change envelope'));
  assert.ok(w3.includes('✗ the gate fails this variant: knowledge-closed.noninferiority'));
  assert.match(w3, /knowledge-closed contains \(higher is better\): Δ −\d+\.\d pp \\\[[^\]]+\], n=60; its worse end −\d+\.\d pp exceeds the allowed 10\.0 pp/u);
  assert.match(w3, /rare-words word\\_nll \(lower is better\): Δ \+[\d.]+ nats\/word .* exceeds the allowed 25\.0% of the baseline/u);
  assert.ok(gptq.includes('Outside the declared change envelope') && gptq.includes('errored, so its change cannot be screened'));
  for (const md of [w4, w3, gptq]) {
    assert.not.ok(md.includes('Annex XI'), 'no Annex XI for inference energy');
    assert.not.ok(md.includes('run-to-run noise'));
    assert.not.ok(/n\/a \(simulated\): n\/a \(simulated\)/u.test(md));
    assert.not.ok(/(\d+\.\d+ [kM]B) instead of \1/u.test(md));
    assert.ok(md.includes('intended purpose: not provided (config.changeRecord.intendedPurpose)'));
    assert.ok(md.includes('human oversight (Art. 14): not provided'));
    assert.ok(md.includes('not provided (config.changeRecord.signOff)'));
  }
  assert.ok(w3.includes('size on disk: unchanged at 4.00 MB (simulated'));
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

test('without a declared envelope the record says so; an inline envelope says it was declared in the run config', async () => {
  const { root } = await renderFixture();
  const dir = join(root, 'runs', 'no-envelope');
  const record = writeFixtureRun(dir, { runId: 'no-env' });
  const { changeEnvelope: _e, ...config } = record.config as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, config }));
  const out = await renderReport(dir, { pngs: false });
  const md = readFileSync(join(out.outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md.includes('No change envelope declared'));
  const inlineDir = join(root, 'runs', 'inline');
  const inline = writeFixtureRun(inlineDir, { runId: 'inline' });
  writeFileSync(join(inlineDir, 'run.json'), JSON.stringify({ ...inline, config: { ...inline.config, changeEnvelope: FIXTURE_ENVELOPE.envelope } }));
  const inlineMd = readFileSync(join((await renderReport(inlineDir, { pngs: false })).outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(inlineMd.includes('declared inline in the run configuration (config.changeEnvelope)'));
  assert.ok(inlineMd.includes('Within the declared change envelope'));
  rmSync(root, { recursive: true, force: true });
});

test('a variant the gate fails is outside whatever its numbers; a run without a verdict is gated by the default policy', async () => {
  const { root } = await renderFixture();
  const dir = join(root, 'runs', 'gate');
  const record = writeFixtureRun(dir, { runId: 'gate' });
  const gate = { ...record.gate!, rules: record.gate!.rules.map((r) => (r.variantId === 'teacher/rtn-w4-g128' ? { ...r, verdict: 'fail' as const, reason: 'lower CI bound of Δ below −margin' } : r)) };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, gate }));
  const md = readFileSync(join((await renderReport(dir, { pngs: false })).outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md.includes('Outside the declared change envelope') && !md.includes('not a substantial modification'));
  assert.ok(md.includes('✗ the gate fails this variant: knowledge-closed.noninferiority'));
  const ungated = join(root, 'runs', 'ungated');
  const { gate: _g, ...bare } = writeFixtureRun(ungated, { runId: 'ungated' });
  writeFileSync(join(ungated, 'run.json'), JSON.stringify(bare));
  const md2 = readFileSync(join((await renderReport(ungated, { pngs: false })).outDir, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md2.includes("default (derived from the run's suite roles)") && md2.includes('the run recorded no verdict'));
  rmSync(root, { recursive: true, force: true });
});

test('files with plain sha256, config-provided purpose, oversight and sign-off, and recent nights from the history store', async () => {
  const { root } = await renderFixture();
  const dir = join(root, 'runs', 'declared');
  const record = writeFixtureRun(dir, { runId: 'declared' });
  const files = [{ path: 'onnx/model.onnx', sha256: 'd'.repeat(64), bytes: 700_000 }];
  const changeRecord = { intendedPurpose: 'answering <b>questions</b>', humanOversight: 'a reviewer reads every answer', signOff: [{ role: 'approver', name: 'A. Person', date: '2026-02-01' }] };
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...record, config: { ...record.config, changeRecord }, variants: record.variants.map((v) => ({ ...v, files })) }));
  const run = loadRun(dir);
  const history: HistoryResult = {
    state: 'found',
    trends: {
      source: 'runs/history.sqlite',
      runs: [{ runId: 'night-1', createdAt: '2026-01-30T02:00:00Z', verdict: 'pass' }, { runId: 'night-2', createdAt: '2026-01-31T02:00:00Z', verdict: 'fail' }],
      series: [
        { key: 'teacher/rtn-w4-g128/knowledge-closed/contains', higherIsBetter: true, values: [0.61, 0.6] },
        { key: 'teacher/knowledge-closed/contains', higherIsBetter: true, values: [0.7, 0.7] },
      ],
    },
  };
  const out = join(root, 'out');
  writeChangeRecords(run, out, join(root, 'log'), 'f'.repeat(64), '2026-02-03T00:00:00.000Z', history);
  const md = readFileSync(join(out, 'changes', 'teacher_rtn-w4-g128.md'), 'utf8');
  assert.ok(md.includes(`| teacher/rtn-w4-g128 | onnx/model.onnx | ${'d'.repeat(64)} | 700000 |`));
  assert.ok(md.includes('not the sha256sum of any one file'));
  assert.ok(md.includes('intended purpose: answering <b>questions</b>') || md.includes('intended purpose: answering'));
  assert.ok(md.includes('human oversight (Art. 14): a reviewer reads every answer'));
  assert.ok(md.includes('| approver | A. Person | 2026-02-01 |'));
  assert.ok(md.includes('night-1 (2026-01-30, gate pass)') && md.includes('night-2 (2026-01-31, gate fail)'));
  assert.ok(md.includes('| knowledge-closed/contains | 0.610 | 0.600 |'), 'this variant\'s series only');
  assert.not.ok(md.includes('| knowledge-closed/contains | 0.700'));
  rmSync(root, { recursive: true, force: true });
});

test.run();
