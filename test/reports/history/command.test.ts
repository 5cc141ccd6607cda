import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { historyCommand, parseCell } from '../../../reports/history/command.js';
import { compareRuns } from '../../../reports/compare/compare-runs.js';
import { loadRunDir } from '../../../reports/compare/load-run.js';
import { evaluateNight } from '../../../reports/history/night.js';
import { openHistory } from '../../../reports/history/schema.js';
import { tempDir } from '../compare/synthetic-run.js';
import { cli, assertOneLineError } from '../../cli-helpers.js';
import { writeNight } from './nights.js';

const test = suite('reports/history/command');

async function history(args: string[]): Promise<{ code: number; lines: string[]; text: string }> {
  const lines: string[] = [];
  const code = await historyCommand(args, (l) => lines.push(l));
  return { code, lines, text: lines.join('\n') };
}

test('three nights (unchanged, recomputed, 4 → 3-bit on one variant): exactly the third is flagged, measurements included', async () => {
  const root = tempDir('history-nights');
  const db = join(root, 'history.sqlite');
  const nights = [
    writeNight(root, { runId: 'n1', day: 1, measured: 'fresh' }),
    // Same config again: results and measurements replayed from the caches.
    writeNight(root, { runId: 'n2', day: 2, measured: 'replayed' }),
    // Recomputed from an empty cache: the same results, everything really re-measured (6% slower, within the repeats' spread).
    writeNight(root, { runId: 'n2b', day: 3, measured: 'fresh', speed: 1.06 }),
    writeNight(root, { runId: 'n3', day: 4, bits: 3, measured: 'replayed', replayOf: 1.06 }),
  ];
  const results = [];
  for (const dir of nights) results.push(await history(['--db', db, '--add', dir, '--fail-on-regression']));
  assert.equal(results.map((r) => r.code), [0, 0, 0, 1], results.map((r) => r.text).join('\n\n'));
  assert.match(results[0].text, /n1 is the first night: nothing to compare with/);
  for (const r of results.slice(1, 3)) {
    assert.not.match(r.text, /REGRESSION|MISSING|FLAGGED/, r.text);
    assert.match(r.text, /what changed since n\d+b?:\n  config: unchanged\n  models \(onnx sha256\): unchanged\n  suites \(content hash\): unchanged\n  harness: unchanged\n  hardware: unchanged/);
  }
  // The honest re-measurement: timings inside the within-run band, RSS and energy have no real repeats yet.
  assert.match(results[2].text, /teacher\/q\/measure\/decode_p50_ms .* band \[[^\]]+\] \(within-run repeats, 1 replayed skipped\) ok/);
  assert.match(results[2].text, /teacher\/measure\/peak_rss_bytes .* insufficient repeats \(1 measured night\(s\), needs 3 or within-run repeats; 1 replayed skipped\)/);

  const third = results[3];
  const at = (pattern: RegExp): number => third.lines.findIndex((l) => pattern.test(l));
  assert.is(at(/^what changed since n2b:/), at(/^history .*: newest night n3 .* vs last accepted night n2b/) + 1, 'what changed comes first');
  assert.ok(at(/^what changed/) < at(/^nights/) && at(/^nights/) < at(/^cells vs n2b/) && at(/^cells/) < at(/^measurements/));
  assert.match(third.text, /config: changed \(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\)\n    \$\.methods\[0\]\.bits: 4 -> 3/);
  assert.match(third.text, /models \(onnx sha256\):\n    teacher\/q: changed [0-9a-f]{12} -> [0-9a-f]{12}/);
  assert.match(third.text, /teacher\/q\/fairness-people\/acc +0\.\d{3} -> 0\.\d{3} +Δ -0\.\d{3} \[-0\.\d{3}, -0\.\d{3}\] paired n=200; flips \d+↓ 0↑ McNemar p=\S+ +REGRESSION/);
  assert.match(third.text, /teacher\/fairness-people\/acc +0\.\d{3} -> 0\.\d{3} +Δ \+0\.000 \[\+0\.000, \+0\.000\] paired n=200; flips 0↓ 0↑ McNemar p=1\.00 +same/);
  assert.match(third.text, /teacher\/q\/measure +MISSING \(not-applicable in n3; n2b measured it\)/);
  assert.match(third.text, /teacher\/measure\/decode_p50_ms .*R  band .* ok/);
  assert.match(third.text, /2 change\(s\) FLAGGED: n3 stays out of the references/);
  assert.match(third.text, /n1 +2026-02-01 02:00 abc1234 +yes +- +accepted\n  n2 .* accepted\n  n2b .* accepted\n  n3 .* FLAGGED/);

  // The night comparison is `compare` on the two folders: same Δ, CI, flips and McNemar p.
  const h = openHistory(db);
  try {
    const report = evaluateNight(h, 'n3');
    const direct = compareRuns(loadRunDir(nights[2]), loadRunDir(nights[3]));
    for (const key of ['teacher/q/fairness-people/acc', 'teacher/q/knowledge-closed/contains']) {
      const fromHistory = report.cells.find((c) => c.key === key)?.change;
      const fromFolders = direct.cells.find((c) => `${c.variantId}/${c.suiteId}/${c.metric}` === key);
      assert.ok(fromHistory && fromFolders);
      assert.equal(fromHistory!.paired, fromFolders!.paired, key);
      assert.is(fromHistory!.delta, fromFolders!.delta);
    }
  } finally {
    h.close();
  }
});

test('a flagged night is no reference until signed off with a note', async () => {
  const root = tempDir('history-accept');
  const db = join(root, 'history.sqlite');
  await history(['--db', db, '--add', writeNight(root, { runId: 'a1', day: 1, measured: 'fresh' }), '--add', writeNight(root, { runId: 'a2', day: 2, bits: 3, measured: 'replayed' })]);
  const again = await history(['--db', db, '--add', writeNight(root, { runId: 'a3', day: 3, bits: 3, measured: 'replayed' }), '--fail-on-regression']);
  assert.is(again.code, 1, 'a3 is compared with a1, the last accepted night');
  assert.match(again.text, /vs last accepted night a1/);
  const refused = await history(['--db', db, '--accept', 'a3']).then(() => 'no error', (e: unknown) => String(e));
  assert.match(refused, /--accept a3 needs --note TEXT/);
  const signed = await history(['--db', db, '--accept', 'a3', '--note', 'Q. Lead: 3-bit is intended (ticket 42)', '--fail-on-regression']);
  assert.is(signed.code, 0, signed.text);
  assert.match(signed.text, /a3 .* accepted by hand: Q\. Lead: 3-bit is intended \(ticket 42\)/);
  assert.match(signed.text, /signed off: Q\. Lead/);
  const next = await history(['--db', db, '--add', writeNight(root, { runId: 'a4', day: 4, bits: 3, measured: 'replayed' }), '--fail-on-regression']);
  assert.is(next.code, 0, next.text);
  assert.match(next.text, /vs last accepted night a3/);
});

test('measurements: a re-measurement after replays is no alarm; a slowdown and a lost measurement are', async () => {
  const root = tempDir('history-measure');
  const db = join(root, 'history.sqlite');
  const adds = [writeNight(root, { runId: 'm1', day: 1, measured: 'fresh' })];
  for (let day = 2; day <= 5; day++) adds.push(writeNight(root, { runId: `m${day}`, day, measured: 'replayed' }));
  adds.push(writeNight(root, { runId: 'm6', day: 6, measured: 'fresh', speed: 1.08 }));
  const calm = await history(['--db', db, ...adds.flatMap((d) => ['--add', d]), '--fail-on-regression']);
  assert.is(calm.code, 0, calm.text);
  assert.not.match(calm.text, /REGRESSION/);
  assert.match(calm.text, /4 replayed skipped/);
  const slow = await history(['--db', db, '--add', writeNight(root, { runId: 'm7', day: 7, measured: 'fresh', speed: 2.5 }), '--fail-on-regression']);
  assert.is(slow.code, 1, slow.text);
  assert.match(slow.text, /teacher\/measure\/decode_p50_ms .*\(within-run repeats, 4 replayed skipped\) REGRESSION/);
  assert.match(slow.text, /added: m7 .* flagged against m6/);
  assert.match(slow.text, /note: config, models, suites and hardware are unchanged; a busy machine slows measurements too/);
});

test('--cell shows one series and its paired line (variant ids may contain a slash)', async () => {
  const root = tempDir('history-cell');
  const db = join(root, 'history.sqlite');
  await history(['--db', db, '--add', writeNight(root, { runId: 'c1', day: 1 }), '--add', writeNight(root, { runId: 'c2', day: 2 })]);
  const r = await history(['--db', db, '--cell', 'teacher/q/fairness-people/acc']);
  assert.match(r.text, /teacher\/q\/fairness-people\/acc: \S{2} (0\.\d{3}) \1\n/);
  assert.is(r.lines.filter((l) => l.startsWith('  teacher')).length, 1);
  assert.equal(parseCell('a/b/c/d'), { variantId: 'a/b', suiteId: 'c', metric: 'd' });
  const missing = await history(['--db', db, '--cell', 'teacher/qa/nope']).then(() => 'no error', (e: unknown) => String(e));
  assert.match(missing, /--cell teacher\/qa\/nope: no such cell × metric/);
});

test('six parallel adds into a file that does not exist yet: every night is recorded', async () => {
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('../../cli-helpers.js');
  for (let attempt = 0; attempt < 2; attempt++) {
    const root = tempDir('history-parallel');
    const db = join(root, 'new', 'history.sqlite');
    await import('node:fs').then((fs) => fs.mkdirSync(join(root, 'new')));
    const dirs = [1, 2, 3, 4, 5, 6].map((day) => writeNight(root, { runId: `p${day}`, day, measured: day === 1 ? 'fresh' : 'replayed' }));
    const codes = await Promise.all(
      dirs.map(
        (dir) =>
          new Promise<{ code: number | null; stderr: string }>((done) => {
            let stderr = '';
            const child = spawn(process.execPath, [CLI, 'history', '--db', db, '--add', dir], { env: { ...process.env, COMPBENCH_DEBUG: '' } });
            child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
            child.on('close', (code) => done({ code, stderr }));
          }),
      ),
    );
    assert.equal(codes.map((c) => c.code), [0, 0, 0, 0, 0, 0], codes.map((c) => c.stderr).join(''));
    const h = openHistory(db, { mustExist: true });
    try {
      assert.equal((h.prepare('SELECT run_id FROM runs ORDER BY run_id').all() as { run_id: string }[]).map((r) => r.run_id), ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      assert.is((h.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n, 24);
    } finally {
      h.close();
    }
  }
});

test('CLI: one-line errors with exit 2', () => {
  const root = tempDir('history-cli');
  assertOneLineError(cli('history', '--db', join(root, 'none.sqlite')), /no history database yet/);
  assertOneLineError(cli('history', '--db', join(root, 'x.sqlite'), '--k', '1'), /--k must be an integer ≥ 2/);
  assertOneLineError(cli('history', '--cell', 'only/two'), /expected VARIANT\/SUITE\/METRIC/);
  assertOneLineError(cli('history', '--db', join(root, 'x.sqlite'), '--add', join(root, 'absent')), /absent: run folder not found/);
  assertOneLineError(cli('history', '--db', join(root, 'x.sqlite'), '--tolerance', 'lots'), /--tolerance must be a number ≥ 0/);
  assertOneLineError(cli('history', '--db', join(root, 'x.sqlite'), '--max-flip-rate', '2'), /--max-flip-rate must be a number ≥ 0 and ≤ 1/);
  assertOneLineError(cli('history', '--db', join(root, 'x.sqlite'), '--accept', 'r1'), /--accept r1 needs --note TEXT/);
  const ok = cli('history', '--db', join(root, 'y.sqlite'), '--add', writeNight(root, { runId: 'only', day: 1 }));
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /only is the first night/);
  assertOneLineError(cli('history', '--db', join(root, 'y.sqlite'), '--accept', 'nope', '--note', 'x'), /--accept nope: no such night/);
});

test.run();
