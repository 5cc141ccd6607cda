import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { historyCommand, parseCell } from '../../../reports/history/command.js';
import { tempDir, writeRunDir } from '../compare/synthetic-run.js';
import { cli } from '../../cli-helpers.js';

const test = suite('reports/history/command');

// Seven nights: accuracy wiggles around 0.70, then drops to 0.60 on the last night;
// perplexity (lower is better) of the 4-bit variant stays put; 'late' exists for 3 nights only.
const ACC = [0.7, 0.72, 0.69, 0.71, 0.7, 0.705, 0.6];
const PPL = [25.0, 25.2, 24.9, 25.1, 25.0, 25.1, 25.05];

function nights(root: string): string[] {
  return ACC.map((acc, i) =>
    writeRunDir(join(root, `night-${i}`), {
      runId: `night-${i}`,
      createdAt: `2026-01-0${i + 1}T02:00:00.000Z`,
      suites: [{ id: 'qa', metrics: ['acc'] }, { id: 'ppl', metrics: ['perplexity'] }],
      cells: {
        base: { qa: { acc: { value: acc, low: acc - 0.01, high: acc + 0.01 } } },
        'teacher/q4': { ppl: { perplexity: { value: PPL[i], higherIsBetter: false, method: 'bootstrap' } } },
        ...(i >= 4 ? { late: { qa: { acc: { value: 0.3 } } } } : {}),
      },
    }),
  );
}

async function history(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await historyCommand(args, (l) => lines.push(l));
  return { code, lines };
}

test('trends: a drop outside the noise band is flagged, stable and short series are not', async () => {
  const root = tempDir('history-cmd');
  const db = join(root, 'history.sqlite');
  const adds = nights(root).flatMap((d) => ['--add', d]);
  const r = await history(['--db', db, ...adds, '--k', '5', '--fail-on-regression']);
  assert.is(r.code, 1);
  const text = r.lines.join('\n');
  assert.is(r.lines.filter((l) => l.startsWith('added: ')).length, 7);
  assert.match(text, /night-6 +2026-01-07 02:00 abc1234 +yes +-/);
  assert.match(text, /base\/qa\/acc +\S{7} +0\.600 +band \[0\.\d+, 0\.\d+\] \(noise\) REGRESSION/);
  assert.match(text, /teacher\/q4\/ppl\/perplexity +\S{7} +25\.050 +band .* ok/);
  assert.match(text, /late\/qa\/acc .*insufficient history \(2\/5 prior runs\)/);
  assert.match(text, /1 REGRESSION\(s\) flagged/);

  const again = await history(['--db', db, ...adds, '--runs', '3']);
  assert.is(again.code, 0, 'no --fail-on-regression');
  assert.is(again.lines.filter((l) => l.startsWith('unchanged: ')).length, 7, 'appending again is a no-op');
  // Three runs displayed, yet the rule still sees K=5 prior runs.
  assert.match(again.lines.join('\n'), /base\/qa\/acc +\S{3} +0\.600 .*REGRESSION/);
});

test('--cell picks one series (variant ids may contain a slash)', async () => {
  const root = tempDir('history-cell');
  const db = join(root, 'history.sqlite');
  await history(['--db', db, ...nights(root).flatMap((d) => ['--add', d])]);
  const r = await history(['--db', db, '--cell', 'teacher/q4/ppl/perplexity', '--k', '3']);
  const trends = r.lines.filter((l) => l.startsWith('  teacher/') || l.startsWith('  base/'));
  assert.is(trends.length, 1);
  assert.match(trends[0], /ok$/);
  assert.equal(parseCell('a/b/c/d'), { kind: 'one', variantId: 'a/b', suiteId: 'c', metric: 'd' });
  const missing = await history(['--db', db, '--cell', 'base/qa/nope']).then(
    () => 'no error',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  assert.match(missing, /--cell base\/qa\/nope: no such cell × metric/);
});

test('CLI: one-line errors with exit 2', () => {
  const root = tempDir('history-cli');
  const check = (r: ReturnType<typeof cli>, pattern: RegExp): void => {
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /^compbench: [^\n]+\n$/);
    assert.match(r.stderr, pattern);
  };
  check(cli('history', '--db', join(root, 'none.sqlite')), /no history database yet/);
  check(cli('history', '--db', join(root, 'x.sqlite'), '--k', '1'), /--k must be an integer ≥ 2/);
  check(cli('history', '--cell', 'only/two'), /expected VARIANT\/SUITE\/METRIC/);
  check(cli('history', '--db', join(root, 'x.sqlite'), '--add', join(root, 'absent')), /absent: run folder not found/);
  const ok = cli('history', '--db', join(root, 'y.sqlite'), '--add', nights(root)[0]);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /insufficient history \(0\/5 prior runs\)/);
});

test.run();
