import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendRun, HISTORY_SCHEMA_VERSION, openHistory } from '../../../reports/history/store.js';
import { loadNight } from '../../../reports/history/snapshot.js';
import { openSqlite } from '../../../reports/history/sqlite.js';
import { tempDir, writeRunDir, type SyntheticRun } from '../compare/synthetic-run.js';

const test = suite('reports/history/store');

const RUN: SyntheticRun = {
  runId: 'night-1',
  createdAt: '2026-01-01T02:00:00.000Z',
  gate: 'pass',
  suites: [{ id: 'qa', metrics: ['acc', 'f1'] }, { id: 'ppl', metrics: ['perplexity'] }],
  cells: {
    base: { qa: { acc: { value: 0.6, low: 0.5, high: 0.7, n: 80 }, f1: { value: 0.4 } }, ppl: { perplexity: { value: 20, higherIsBetter: false, method: 'bootstrap' } } },
    q4: { qa: 'errored', ppl: { perplexity: { value: 25, higherIsBetter: false, method: 'bootstrap' } } },
  },
  measurements: [{ variantId: 'base', decodeP50Ms: 4, tokensPerS: 250 }],
};

function count(db: string, table: string): number {
  const h = openHistory(db);
  try {
    return (h.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    h.close();
  }
}

test('first use creates the versioned schema in WAL mode', () => {
  const db = join(tempDir('history-schema'), 'history.sqlite');
  const h = openHistory(db);
  try {
    assert.is((h.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string }).value, String(HISTORY_SCHEMA_VERSION));
    assert.is(h.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    h.close();
  }
});

test('appendRun records runs, cells × metrics and measurements; the second append does nothing', () => {
  const root = tempDir('history-append');
  const dir = writeRunDir(join(root, 'night-1'), RUN);
  const db = join(root, 'history.sqlite');
  assert.equal(appendRun(db, dir), { runId: 'night-1', status: 'added', night: 'accepted', reference: null, flagged: 0 });
  assert.equal([count(db, 'runs'), count(db, 'cells'), count(db, 'measurements')], [1, 6, 1]);
  assert.equal(appendRun(db, dir), { runId: 'night-1', status: 'unchanged', night: 'accepted', reference: null, flagged: 0 });
  assert.equal([count(db, 'runs'), count(db, 'cells'), count(db, 'measurements')], [1, 6, 1]);

  const h = openHistory(db);
  try {
    const run = h.prepare('SELECT * FROM runs').get() as Record<string, unknown>;
    assert.is(run.verdict, 'pass');
    assert.is(run.git_sha, 'abc1234');
    assert.is(run.complete, 0);
    assert.match(String(run.config_hash), /^[0-9a-f]{64}$/);
    const acc = h.prepare("SELECT * FROM cells WHERE variant_id = 'base' AND metric = 'acc'").get() as Record<string, unknown>;
    assert.equal([acc.value, acc.ci_low, acc.ci_high, acc.n, acc.too_few, acc.is_main, acc.higher_is_better], [0.6, 0.5, 0.7, 80, 0, 1, 1]);
    const errored = h.prepare("SELECT state, value, is_main FROM cells WHERE variant_id = 'q4' AND suite_id = 'qa' ORDER BY metric").all();
    assert.equal(errored, [{ state: 'errored', value: null, is_main: 1 }, { state: 'errored', value: null, is_main: 0 }]);
    const m = h.prepare('SELECT * FROM measurements').get() as Record<string, unknown>;
    assert.equal([m.decode_p50_ms, m.decode_p99_ms, m.tokens_per_s, m.peak_rss_bytes, m.joules_per_token, m.replayed], [4, 8, 250, 1000, 0.2, 0]);
  } finally {
    h.close();
  }
});

test('the same run id with a changed run.json replaces its rows', () => {
  const root = tempDir('history-update');
  const dir = writeRunDir(join(root, 'night-1'), RUN);
  const db = join(root, 'history.sqlite');
  appendRun(db, dir);
  writeRunDir(dir, { ...RUN, cells: { base: RUN.cells.base } });
  assert.is(appendRun(db, dir).status, 'updated');
  assert.equal([count(db, 'runs'), count(db, 'cells')], [1, 3]);
});

test('a newer history schema and a non-database file are refused with one line', () => {
  const root = tempDir('history-bad');
  const db = join(root, 'history.sqlite');
  const h = openHistory(db);
  h.prepare("UPDATE meta SET value = '9' WHERE key = 'schemaVersion'").run();
  h.close();
  assert.throws(() => openHistory(db), /history schema version 9, this compbench reads 2/);
  const junk = join(root, 'junk.sqlite');
  writeFileSync(junk, 'not a database at all, just text '.repeat(10));
  assert.throws(() => openHistory(junk), /cannot open as an SQLite history database/);
  assert.ok(readFileSync(junk, 'utf8').startsWith('not a database'), 'left untouched');
});

test('per-instance scores are kept, so a night pairs without its folder', () => {
  const root = tempDir('history-instances');
  const lines = [0, 1, 2].map((i) => ({ variantId: 'base', suiteId: 'qa', instanceId: `q${i}`, instanceHash: `${i}`.repeat(64), scores: { acc: i % 2 } }));
  const dir = writeRunDir(join(root, 'night-1'), { runId: 'night-1', cells: { base: { qa: { acc: { value: 1 / 3 } } } } }, [...lines, { variantId: 'base', suiteId: 'qa', instanceId: 'q3', state: 'errored' }]);
  const db = join(root, 'history.sqlite');
  appendRun(db, dir);
  const h = openHistory(db);
  try {
    const night = loadNight(h, 'night-1');
    assert.ok(night);
    assert.equal(night!.instances, [
      ...lines.map((l) => ({ variantId: 'base', suiteId: 'qa', instanceId: l.instanceId, instanceHash: l.instanceHash.slice(0, 16), state: 'scored', scores: l.scores })),
      { variantId: 'base', suiteId: 'qa', instanceId: 'q3', instanceHash: 'h-q3', state: 'errored', scores: {} },
    ]);
    assert.is(night!.record.runId, 'night-1');
    assert.is((night!.record.cells[0] as unknown as { aggregate: { metrics: { acc: { overall: { value: number } } } } }).aggregate.metrics.acc.overall.value, 1 / 3);
  } finally {
    h.close();
  }
});

test('a version-1 history is migrated: its nights become accepted references without instances', () => {
  const db = join(tempDir('history-v1'), 'history.sqlite');
  const v1 = openSqlite(db);
  v1.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schemaVersion', '1');
    CREATE TABLE runs (run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, harness_version TEXT NOT NULL, git_sha TEXT, config_hash TEXT NOT NULL,
      hardware_hash TEXT NOT NULL, complete INTEGER NOT NULL, verdict TEXT, run_json_sha256 TEXT NOT NULL, run_dir TEXT NOT NULL, appended_at TEXT NOT NULL);
    CREATE TABLE cells (run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE, variant_id TEXT NOT NULL, suite_id TEXT NOT NULL, metric TEXT NOT NULL,
      is_main INTEGER NOT NULL, state TEXT NOT NULL, value REAL, ci_low REAL, ci_high REAL, n INTEGER NOT NULL, too_few INTEGER NOT NULL,
      higher_is_better INTEGER NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (run_id, variant_id, suite_id, metric));
    CREATE TABLE measurements (run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE, variant_id TEXT NOT NULL, state TEXT NOT NULL,
      decode_p50_ms REAL, decode_p99_ms REAL, tokens_per_s REAL, peak_rss_bytes INTEGER, joules_per_token REAL, energy_provenance TEXT, PRIMARY KEY (run_id, variant_id));
    INSERT INTO runs VALUES ('old', '2025-12-31T02:00:00.000Z', '0.1.0', NULL, 'c', 'h', 1, NULL, 's', '/gone', 'now');
    INSERT INTO measurements VALUES ('old', 'base', 'measured', 4, 8, 250, 1000, 0.2, 'rapl');`);
  v1.close();
  const h = openHistory(db);
  try {
    assert.is((h.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string }).value, '2');
    assert.equal(h.prepare('SELECT run_id, status FROM runs').all(), [{ run_id: 'old', status: 'accepted' }]);
    assert.equal(h.prepare('SELECT decode_p50_ms, replayed FROM measurements').all(), [{ decode_p50_ms: 4, replayed: 0 }]);
    assert.is(loadNight(h, 'old'), null);
  } finally {
    h.close();
  }
  const root = tempDir('history-v1-add');
  const r = appendRun(db, writeRunDir(join(root, 'n'), RUN));
  assert.equal([r.status, r.reference], ['added', 'old']);
});

test.run();
