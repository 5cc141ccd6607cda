/**
 * Distribution agreement through the matrix on the bundled teacher (issue 17 item 5): the
 * recorded per-instance KL, same-top counts and Δp equal an independent computation
 * (test/runners/agreement/reference.ts), the baseline against itself gives KL 0 and 100%
 * same top, the instance lines do not depend on shard size or worker count, and a rerun
 * takes every value from the cache.
 */
import { readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import type { CellRecord, RunRecord } from '../../../core/run-record.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { buildRequests, limitSuiteForTest, loadSuite, type InstanceAgreement } from './suite-access.js';
import { teacherDir, tempDir } from '../fixtures.js';
import { recordSchemaProblems, writeConfig } from '../matrix/fixtures.js';
import { ReferenceModel, referenceInstance } from './reference.js';

const test = suite('runners/agreement (matrix, teacher)');
const LIMIT = 3;
const SUITES = ['perplexity', 'fairness-people', 'fairness-pairs'];
/** Relative tolerance on a per-instance KL sum: the matrix pads rows to fixed widths and shares prefixes, the reference runs one unpadded row (fp32 logits differ by up to ~2e-5). */
const KL_REL = 1e-4;
const DP_ABS = 1e-5;

interface Line {
  readonly variantId: string;
  readonly suiteId: string;
  readonly instanceId: string;
  readonly agreement?: InstanceAgreement;
}

async function run(cacheDir: string, shardSize: number, workers: number): Promise<{ record: RunRecord; lines: string[]; cached: number }> {
  const config = writeConfig({
    models: [{ id: 'teacher', dir: teacherDir('agreement')! }, { id: 'copy', dir: teacherDir('agreement')!, compareTo: 'teacher' }],
    baseline: 'teacher',
    // accuracy_level 0: level 4 quantizes activations per block of rows, so padding moves its logits by up to 0.2 (README)
    // and an unpadded reference forward could not agree within float noise
    methods: [{ method: 'rtn', bits: [4, 2], group: 32, accuracyLevel: 0 }],
    suites: SUITES.map((s) => packagePath('suites', s)),
    seed: 1,
    limit: LIMIT,
    measurement: { enabled: false },
    execution: { workers, shardSize },
    cacheDir,
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out'), progress: false }, () => {});
  assert.is(r.record.complete, true);
  return { record: r.record, lines: readFileSync(join(r.outDir, 'instances.jsonl'), 'utf8').split('\n').filter(Boolean), cached: r.cachedInstances };
}

const cell = (record: RunRecord, variantId: string, suiteId: string): Extract<CellRecord, { state: 'ok' }> => {
  const c = record.cells.find((x) => x.variantId === variantId && x.suiteId === suiteId);
  assert.ok(c && c.state === 'ok', `${variantId} × ${suiteId}`);
  return c as Extract<CellRecord, { state: 'ok' }>;
};

/** The same lines (names the first that differs). */
function assertSameLines(got: readonly string[], expected: readonly string[]): void {
  assert.is(got.length, expected.length);
  const i = got.findIndex((l, k) => l !== expected[k]);
  if (i < 0) return;
  const g = JSON.parse(got[i]) as Record<string, unknown>;
  const e = JSON.parse(expected[i]) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(e), ...Object.keys(g)])].filter((k) => JSON.stringify(g[k]) !== JSON.stringify(e[k]));
  if (keys.length === 0) keys.push(`key order ${Object.keys(g).join(",")} vs ${Object.keys(e).join(",")}`);
  assert.unreachable(`line ${i} (${String(e.variantId)} ${String(e.suiteId)} ${String(e.instanceId)}) differs in ${keys.map((k) => `${k}: ${JSON.stringify(g[k])} vs ${JSON.stringify(e[k])}`).join('; ')}`);
}

test('KL, same-top and Δp equal an independent computation; self-agreement is exact; shard-independent; cached', async () => {
  if (!teacherDir('agreement matrix')) return;
  const cacheDir = tempDir('cache');
  const a = await run(cacheDir, 1, 1);
  assert.equal(recordSchemaProblems(a.record), []);

  // (c) the baseline against itself
  for (const s of SUITES) {
    const ag = cell(a.record, 'copy', s).agreement;
    assert.ok(ag?.state === 'computed', JSON.stringify(ag));
    if (ag?.state !== 'computed') continue;
    assert.is(ag.meanKl.value, 0);
    assert.is(ag.sameTopRate.value, 1);
    assert.equal([ag.dp.p1, ag.dp.p99, ag.dp.mean], [0, 0, 0]);
    assert.is(ag.bound, 'exact');
    assert.is(cell(a.record, 'teacher', s).agreement, undefined);
  }

  // (a) every instance of both RTN variants against the reference
  const lines = a.lines.map((l) => JSON.parse(l) as Line);
  const base = await ReferenceModel.open(teacherDir('agreement')!);
  let checked = 0;
  for (const v of a.record.variants.filter((x) => x.id.startsWith('teacher/'))) {
    const dir = isAbsolute(v.dir) ? v.dir : packagePath(v.dir);
    const variant = await ReferenceModel.open(dir, teacherDir('agreement')!);
    for (const s of SUITES) {
      const loaded = limitSuiteForTest(loadSuite(join(packagePath('suites', s), 'suite.json')), LIMIT);
      for (const [i, items] of buildRequests(loaded).entries()) {
        const ref = await referenceInstance(base, variant, items.requests, 256);
        const got = lines.find((l) => l.variantId === v.id && l.suiteId === s && l.instanceId === loaded.instances[i].id)?.agreement;
        assert.ok(got?.state === 'computed', `${v.id} ${s} ${items.instanceId}: ${JSON.stringify(got)}`);
        if (got?.state !== 'computed') continue;
        const klSum = ref.kl.reduce((x, y) => x + y, 0);
        assert.is(got.tokens, ref.kl.length);
        assert.ok(Math.abs(got.klSum - klSum) <= KL_REL * klSum + 1e-9, `${v.id} ${s} ${items.instanceId}: KL sum ${got.klSum} vs reference ${klSum}`);
        assert.is(got.sameTop, ref.sameTop.filter(Boolean).length, `${v.id} ${s} ${items.instanceId}: same-top count`);
        ref.dp.forEach((d, k) => assert.ok(Math.abs(got.dp[k] - d) <= DP_ABS, `${v.id} ${s} ${items.instanceId} token ${k}: Δp ${got.dp[k]} vs ${d}`));
        checked++;
      }
    }
    await variant.release();
  }
  await base.release();
  assert.is(checked, 2 * SUITES.length * LIMIT);
  const w2 = cell(a.record, 'teacher/rtn-w2-g32', 'perplexity').agreement;
  const w4 = cell(a.record, 'teacher/rtn-w4-g32', 'perplexity').agreement;
  assert.ok(w2?.state === 'computed' && w4?.state === 'computed' && w2.meanKl.value > w4.meanKl.value, 'RTN 2-bit moves further from the baseline than 4-bit');

  // (e) other shards and workers, recomputed from scratch (variants kept): the same lines
  rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
  rmSync(join(cacheDir, 'distributions'), { recursive: true, force: true });
  const b = await run(cacheDir, 128, 2);
  assert.is(b.cached, 0);
  assertSameLines(b.lines, a.lines);
  // a rerun takes everything from the cache, values included
  const c = await run(cacheDir, 5, 1);
  assert.is(c.cached, c.lines.length);
  assertSameLines(c.lines, a.lines);
});

test.run();
