import { spawn, spawnSync } from 'node:child_process';
import { SCORING_VERSION } from '../../../runners/matrix/result-cache.js';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSchema } from '../../../core/schemas/index.js';
import type { RunRecord } from '../../../core/run-record.js';
import { stableView } from '../../../runners/matrix/assemble.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { storiesDir, tempDir } from '../fixtures.js';
import { writeConfig, writeTinySuites } from './fixtures.js';

const test = suite('runners/matrix/run-matrix');
const CLI = fileURLToPath(new URL('../../../cli.js', import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL('../../../../core/schemas/run-record.schema.json', import.meta.url));

function tinyConfig(model: string, cacheDir: string, extra: object = {}): string {
  const { ppl, mc } = writeTinySuites(join(model, '..'));
  return writeConfig({
    models: [{ id: 'base', dir: model }],
    methods: [{ method: 'rtn', bits: 8, group: 'channel' }],
    suites: [ppl, mc],
    seed: 1,
    measurement: { enabled: false },
    execution: { workers: 2, shardSize: 2 },
    cacheDir,
    ...extra,
  });
}

const quiet = (): void => {};

test('a tiny matrix: schema-valid record, known perplexity, paired comparison; a second run computes nothing', async () => {
  const model = storiesDir('matrix run');
  if (!model) return;
  const config = tinyConfig(model, tempDir('cache'));
  const first = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  const problems = compileSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')))(JSON.parse(JSON.stringify(first.record)), { file: 'run.json' });
  assert.equal(problems, []);
  assert.is(first.record.complete, true);
  assert.equal(first.record.executor, { kind: 'local' });
  assert.equal(first.record.variants.map((v) => `${v.id}:${v.executionForm}`), ['base:reference', 'base/rtn-w8-gch:packed']);
  assert.is(first.computedInstances, 2 * (5 + 2));
  const base = first.record.cells.find((c) => c.variantId === 'base' && c.suiteId === 'stories-ppl');
  assert.ok(base && base.state === 'ok' && !base.vsBaseline);
  const ppl = (base.aggregate.metrics as Record<string, { overall: { value: number } }>).perplexity.overall.value;
  // stories260k README: mean NLL 1.2664 nats/token on this sample -> perplexity e^1.2664
  assert.ok(Math.abs(ppl - Math.exp(1.2664)) < 1e-3, `perplexity ${ppl}`);
  const rtn = first.record.cells.find((c) => c.variantId === 'base/rtn-w8-gch' && c.suiteId === 'stories-mc');
  assert.ok(rtn && rtn.state === 'ok' && rtn.vsBaseline);
  assert.is((rtn.vsBaseline.metrics as Record<string, { delta: { n: number } }>).acc.delta.n, 2);

  const second = await runMatrix({ configFile: config, outDir: tempDir('out') }, quiet);
  assert.is(second.computedInstances, 0, 'nothing is computed again');
  assert.is(second.cachedInstances, 14);
  assert.equal(stableView(second.record as unknown as Record<string, unknown>), stableView(first.record as unknown as Record<string, unknown>));
  assert.is(readFileSync(join(second.outDir, 'instances.jsonl'), 'utf8'), readFileSync(join(first.outDir, 'instances.jsonl'), 'utf8'));
});

test('two model ids over the same bytes: their identical variant is built once and both evaluate', async () => {
  const model = storiesDir('matrix twin models');
  if (!model) return;
  const { mc } = writeTinySuites(join(model, '..'));
  const config = writeConfig({
    models: [{ id: 'a', dir: model }, { id: 'b', dir: model }],
    methods: [{ method: 'rtn', bits: 4, group: 'channel', models: ['a', 'b'] }],
    suites: [mc],
    measurement: { enabled: false },
    cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out'), workers: 2 }, quiet);
  const errored = r.record.cells.flatMap((c) => (c.state === 'errored' ? [`${c.variantId} × ${c.suiteId}: ${c.error}`] : []));
  assert.equal(errored, []);
  assert.is(r.record.complete, true);
  const [ra, rb] = ['a/rtn-w4-gch', 'b/rtn-w4-gch'].map((id) => r.record.variants.find((v) => v.id === id)!);
  assert.is(ra.dir, rb.dir);
  assert.is(ra.modelSha256, rb.modelSha256);
});

test('CLI: a crashed worker and NaN logits are errored cells with reasons, the rest finish, exit 3', () => {
  const model = storiesDir('matrix faults');
  if (!model) return;
  const out = tempDir('out');
  const env = { ...process.env, COMPBENCH_TEST_FAULTS: 'base/rtn-w8-gch|stories-mc|abort,base|stories-ppl|nan' };
  const r = spawnSync(process.execPath, [CLI, 'run', '--config', tinyConfig(model, tempDir('cache')), '--out', out], { encoding: 'utf8', env });
  assert.is(r.status, 3, r.stderr + r.stdout);
  const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  assert.is(record.complete, false);
  const states = record.cells.map((c) => `${c.variantId}|${c.suiteId}|${c.state === 'errored' ? c.error : 'ok'}`);
  assert.equal(states, ['base|stories-ppl|every instance failed: non-finite logits (NaN or ±Inf) from the model', 'base|stories-mc|ok', 'base/rtn-w8-gch|stories-ppl|ok', 'base/rtn-w8-gch|stories-mc|worker crashed (signal SIGABRT)']);
  assert.match(r.stdout, 'INCOMPLETE');
});

test('CLI run → gate → report: exit 1 when the policy fails, 0 when it passes, report and verdict written', () => {
  const model = storiesDir('run, gate and report wiring');
  if (!model) return;
  const cache = tempDir('cache');
  // Five stories give a wide interval: this suite accepts it (maxCiWidth is relative for perplexity), so the
  // gate judges the value instead of failing closed on "too few".
  const { ppl } = writeTinySuites(join(model, '..'));
  const spec = JSON.parse(readFileSync(join(ppl, 'suite.json'), 'utf8')) as object;
  writeFileSync(join(ppl, 'suite.json'), JSON.stringify({ ...spec, maxCiWidth: 5 }));
  // stories260k's perplexity on the sample is e^1.2664 ≈ 3.55 (its README); rtn w8 stays close to it.
  const policy = (max: number) => ({ minN: 1, rules: [{ id: 'ppl', kind: 'ceiling', suite: 'stories-ppl', metric: 'perplexity', max, minN: 1 }] });
  for (const [max, code] of [[100, 0], [2, 1]] as const) {
    const out = tempDir('gated');
    const config = writeConfig({ models: [{ id: 'base', dir: model }], methods: [{ method: 'rtn', bits: 8, group: 'channel' }], suites: [ppl], seed: 1, measurement: { enabled: false }, cacheDir: cache, gatePolicy: policy(max) });
    const r = spawnSync(process.execPath, [CLI, 'run', '--config', config, '--out', out], { encoding: 'utf8' });
    assert.is(r.status, code, r.stderr + r.stdout);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
    assert.is(record.gate?.verdict, code === 0 ? 'pass' : 'fail');
    assert.ok(existsSync(join(out, 'report', 'report.html')), 'report rendered');
    assert.match(r.stdout, code === 0 ? /gate: PASS/ : /gate: FAIL/);
  }
});

function resultLines(cacheDir: string): number {
  const root = join(cacheDir, 'results', `scoring-v${SCORING_VERSION}`);
  if (!existsSync(root)) return 0;
  let n = 0;
  for (const v of readdirSync(root)) for (const f of readdirSync(join(root, v))) n += readFileSync(join(root, v, f), 'utf8').split('\n').length - 1;
  return n;
}

test('CLI: kill -9 in the middle, then --resume gives the record of an uninterrupted run', async () => {
  const model = storiesDir('matrix kill and resume');
  if (!model) return;
  const cache = tempDir('cache');
  const config = writeConfig({
    models: [{ id: 'base', dir: model }],
    methods: [{ method: 'rtn', bits: [8, 4], group: 'channel' }],
    suites: ['knowledge-closed', 'reasoning'],
    limit: 30,
    seed: 3,
    measurement: { enabled: false },
    execution: { workers: 2, shardSize: 5 },
    cacheDir: cache,
  });
  const clean = tempDir('clean');
  const c = spawnSync(process.execPath, [CLI, 'run', '--config', config, '--out', clean], { encoding: 'utf8' });
  // 0 or 1: the run is complete; the default gate may fail a 30-instance cell as too small (fail-closed).
  assert.ok(c.status === 0 || c.status === 1, c.stderr);
  rmSync(join(cache, 'results'), { recursive: true }); // keep the compressed variants, recompute every result

  const out = tempDir('killed');
  const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--out', out], { stdio: 'ignore', detached: true });
  const total = 3 * 2 * 30 + 2 * 30; // and the parent under knowledge-closed's 2 template variants
  let seen = 0;
  for (let i = 0; i < 600 && (seen = resultLines(cache)) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.ok(seen > 0 && seen < total, `killed after ${seen} of ${total} results were on disk`);
  assert.not.ok(existsSync(join(out, 'run.json')), 'the killed run wrote no record');

  const r = spawnSync(process.execPath, [CLI, 'run', '--config', config, '--out', out, '--resume'], { encoding: 'utf8' });
  assert.is(r.status, c.status, r.stderr);
  const m = /(\d+) instances computed, (\d+) from cache/.exec(r.stdout);
  assert.ok(m && Number(m[1]) > 0 && Number(m[2]) > 0 && Number(m[1]) + Number(m[2]) === total, r.stdout.split('\n').find((l) => l.includes('computed')));
  const a = JSON.parse(readFileSync(join(clean, 'run.json'), 'utf8')) as Record<string, unknown>;
  const b = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(stableView(b), stableView(a));
  assert.is(readFileSync(join(out, 'instances.jsonl'), 'utf8'), readFileSync(join(clean, 'instances.jsonl'), 'utf8'));
  assert.ok(statSync(join(out, 'run-state.json')).isFile());
});

test('CLI: config errors, an invalid suite and unwritable output are one line, exit 2', () => {
  const unknown = writeConfig({}, '{\n  "methods": [{ "method": "gtpq" }]\n}\n');
  const r = spawnSync(process.execPath, [CLI, 'run', '--config', unknown, '--out', tempDir('out')], { encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^compbench: [^\n]*config\.json:2: \$\.methods\[0\]\.method: Unknown method 'gtpq' — Did you mean: gptq\?[^\n]*\n$/);
  const model = storiesDir('matrix bad suite');
  if (model) {
    const bad = tempDir('suite-bad');
    writeFileSync(join(bad, 'data.jsonl'), '{"id":"x","text":"hi"}\n');
    writeFileSync(join(bad, 'suite.json'), JSON.stringify({ id: 'bad', version: '1', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexty'] }));
    const cfg = writeConfig({ models: [{ id: 'm', dir: model }], methods: [], suites: [bad], measurement: { enabled: false } });
    const s = spawnSync(process.execPath, [CLI, 'run', '--config', cfg, '--out', tempDir('out')], { encoding: 'utf8' });
    assert.is(s.status, 2, s.stderr);
    assert.match(s.stderr, /^compbench: [^\n]*suite\.json[^\n]*perplexity[^\n]*\n$/);
  }
  const file = join(tempDir('out-file'), 'not-a-folder');
  writeFileSync(file, '');
  const w = spawnSync(process.execPath, [CLI, 'run', '--out', join(file, 'run')], { encoding: 'utf8' });
  assert.is(w.status, 2, w.stderr);
  assert.match(w.stderr, /^compbench: --out [^\n]*not writable[^\n]*\n$/);
});

test.run();
