import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath } from '../../../core/paths.js';
import type { MeasurementRecord } from '../../../core/run-record.js';
import { compileSchema } from '../../../core/schemas/validate.js';
import { RESULT_MARKER } from '../../../runners/measure/child-protocol.js';
import { measureVariant, measureVariantWithDiagnostics, SIMULATED_REASON } from '../../../runners/measure/measure-variant.js';
import type { MeasureSettings } from '../../../runners/measure/settings.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { storiesDir, tempDir } from '../fixtures.js';

const test = suite('runners/measure/measure-variant');

/** Small counts keep the test quick; figures are not asserted (no timed assertions). */
const QUICK: MeasureSettings = { promptTokens: 16, prefillRepeats: 2, warmupTokens: 2, decodeTokens: 12 };

const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as {
  properties: { measurements: object };
};
const checkMeasurements = compileSchema(schema.properties.measurements);

function assertValid(records: MeasurementRecord[]): void {
  const problems = checkMeasurements(records, { file: 'run.json#measurements' });
  assert.equal(problems, [], JSON.stringify(problems));
}

function assertMeasured(r: MeasurementRecord, variantId: string, sizeBytes: number): void {
  assert.is(r.state, 'measured', JSON.stringify(r));
  if (r.state !== 'measured') return;
  assert.is(r.variantId, variantId);
  assert.is(r.sizeBytes, sizeBytes);
  assert.is(r.intraOpNumThreads, 1);
  assert.ok(r.loadMs > 0);
  assert.ok(r.peakRssBytes > 10e6 && r.peakRssBytes < 4e9, `peak RSS ${r.peakRssBytes}`);
  assert.is(r.prefill.samples, 2);
  assert.is(r.prefill.promptTokens, 16);
  assert.is(r.decode.samples, 12);
  assert.is(r.decode.tokens, 12);
  assert.is(r.decode.warmupTokens, 2);
  for (const t of [r.prefill, r.decode]) {
    assert.ok(t.p50Ms > 0 && t.p50Ms <= t.p90Ms && t.p90Ms <= t.p95Ms && t.p95Ms <= t.p99Ms, JSON.stringify(t));
    assert.ok(t.meanMs > 0);
  }
  assert.ok(Math.abs(r.decode.tokensPerS - 1000 / r.decode.meanMs) < 1e-9);
  const e = r.energy;
  assert.ok(e.provenance === 'estimated' || e.provenance === 'rapl', e.provenance);
  if (e.provenance === 'estimated') {
    assert.is(e.tdpWattsPerCore, 10);
    assert.match(e.formula!, /TDP_per_core/);
    assert.ok(e.cpuSeconds! > 0);
    assert.is(e.joules, e.cpuSeconds! * 10);
  }
  assert.ok(Math.abs(e.joulesPerToken - e.joules / 12) < 1e-12);
}

test('stories260k and its packed RTN-4 twin: every field, ordered percentiles, valid against the schema', async () => {
  const dir = storiesDir('measure stories260k');
  if (!dir) return;
  const packedDir = join(tempDir('measure-rtn4'), 'rtn4');
  await compressModel(dir, { method: 'rtn', params: { bits: 4 }, form: 'packed' }, packedDir);
  const { record, diagnostics } = await measureVariantWithDiagnostics({ variantId: 'stories', modelDir: dir, executionForm: 'reference', sizeBytes: 1396593 }, QUICK);
  assertMeasured(record, 'stories', 1396593);
  assert.type(diagnostics.peakRssReset, 'boolean');
  assert.type(diagnostics.childPid, 'number');
  assert.is.not(diagnostics.childPid, process.pid);
  const packed = await measureVariant({ variantId: 'stories/rtn4', modelDir: packedDir, executionForm: 'packed', sizeBytes: 644462 }, QUICK);
  assertMeasured(packed, 'stories/rtn4', 644462);
  assertValid([record, packed]);
  // the check can fail: a measured record without energy, an estimate without its formula
  if (record.state !== 'measured') return;
  const { energy, ...noEnergy } = record;
  const { formula: _formula, ...noFormula } = energy;
  assert.ok(checkMeasurements([noEnergy], { file: 'x' }).some((p) => /energy/.test(p.message + p.fix)));
  if (energy.provenance === 'estimated') assert.ok(checkMeasurements([{ ...record, energy: noFormula }], { file: 'x' }).length > 0);
});

test('a simulated variant is not run (a missing folder would otherwise error)', async () => {
  const r = await measureVariant({ variantId: 'sim', modelDir: '/nonexistent/model', executionForm: 'simulated', sizeBytes: 10 });
  assert.equal(r, { state: 'not-applicable', variantId: 'sim', sizeBytes: 10, reason: SIMULATED_REASON });
  assertValid([r]);
});

test('a bad model folder gives errored with a one-line reason', async () => {
  const r = await measureVariant({ variantId: 'bad', modelDir: join(tempDir('measure-bad'), 'absent'), executionForm: 'reference', sizeBytes: 0 }, QUICK);
  assert.is(r.state, 'errored');
  if (r.state !== 'errored') return;
  assert.match(r.error, /model folder .*absent not found/);
  assert.not.match(r.error, /\n/);
  assertValid([r]);
});

test('a context window too small for the token counts is an errored record', async () => {
  const dir = storiesDir('measure context check');
  if (!dir) return;
  const r = await measureVariant({ variantId: 'long', modelDir: dir, executionForm: 'reference', sizeBytes: 0 }, { ...QUICK, decodeTokens: 600 });
  assert.is(r.state, 'errored');
  if (r.state === 'errored') assert.match(r.error, /= 618 exceeds the context window of .*\(512 tokens\)/);
});

test('timeout kills the child and gives errored', async () => {
  const dir = storiesDir('measure timeout');
  if (!dir) return;
  const r = await measureVariant({ variantId: 'slow', modelDir: dir, executionForm: 'reference', sizeBytes: 0 }, { ...QUICK, timeoutMs: 1 });
  assert.equal(r, { state: 'errored', variantId: 'slow', error: 'measurement timed out after 1 ms (settings.timeoutMs); the child was killed' });
});

test('a crashing child and a child printing garbage give errored', async () => {
  const root = tempDir('measure-children');
  const crash = join(root, 'crash.mjs');
  writeFileSync(crash, "console.error('first line');\nconsole.error('Error: native abort in kernel');\nprocess.exit(7);\n");
  const garbage = join(root, 'garbage.mjs');
  writeFileSync(garbage, "console.log('hello, not json');\n");
  const input = { variantId: 'x', modelDir: root, executionForm: 'packed', sizeBytes: 0 } as const;
  const c = await measureVariant(input, QUICK, { childScript: crash });
  assert.equal(c, { state: 'errored', variantId: 'x', error: 'measurement child exited with code 7: Error: native abort in kernel' });
  const g = await measureVariant(input, QUICK, { childScript: garbage });
  assert.equal(g, { state: 'errored', variantId: 'x', error: 'measurement child exited with code 0: measurement child printed no result line (stdout: "hello, not json")' });
});

test('concurrent calls are serialised: no two children overlap', async () => {
  const script = join(tempDir('measure-queue'), 'span.mjs');
  // prints its own start/end wall times as the error of an errored record
  writeFileSync(
    script,
    `const req = JSON.parse(process.argv[2]); const t0 = Date.now();
setTimeout(() => console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ record: { state: 'errored', variantId: req.variantId, error: t0 + ' ' + Date.now() }, diagnostics: { peakRssReset: false } })), 150);\n`,
  );
  const runs = await Promise.all(
    ['a', 'b', 'c'].map((id) => measureVariant({ variantId: id, modelDir: '.', executionForm: 'reference', sizeBytes: 0 }, {}, { childScript: script })),
  );
  const spans = runs.map((r) => (r.state === 'errored' ? r.error.split(' ').map(Number) : [NaN, NaN])).sort((a, b) => a[0] - b[0]);
  assert.equal(runs.map((r) => r.variantId), ['a', 'b', 'c']);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `overlap: ${JSON.stringify(spans)}`);
});

test('bad input and settings reject with InputError before anything runs', async () => {
  for (const [input, settings, re] of [
    [{ variantId: '', modelDir: '.', executionForm: 'reference', sizeBytes: 0 }, {}, /input\.variantId/],
    [{ variantId: 'v', modelDir: '.', executionForm: 'fast', sizeBytes: 0 }, {}, /input\.executionForm/],
    [{ variantId: 'v', modelDir: '.', executionForm: 'reference', sizeBytes: -1 }, {}, /input\.sizeBytes/],
    [{ variantId: 'v', modelDir: '.', executionForm: 'reference', sizeBytes: 0 }, { decodeTokens: 0 }, /settings\.decodeTokens/],
  ] as const) {
    try {
      await measureVariant(input as never, settings);
      assert.unreachable('accepted');
    } catch (e) {
      assert.instance(e, InputError);
      assert.match((e as Error).message, re);
    }
  }
});

test.run();
