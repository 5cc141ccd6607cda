import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasurementRecord, RunRecord } from '../../../core/run-record.js';
import { compareMeasurements } from '../../../reports/compare/measurement-diff.js';
import { measurementLines } from '../../../reports/compare/format-measurements.js';
import { MEASURE_FIGURES, repeatSpreadMs } from '../../../reports/compare/measure-figures.js';
import { cli } from '../../cli-helpers.js';
import { tempDir, writeRunDir } from './synthetic-run.js';

const test = suite('reports/compare/measurement-diff');

type Measured = Extract<MeasurementRecord, { state: 'measured' }>;
const timing = (p50: number, samples = 64) => ({ samples, meanMs: p50, p50Ms: p50, p90Ms: p50 + 0.2, p95Ms: p50 + 0.3, p99Ms: p50 + 0.6 });
const measured = (variantId: string, decodeP50: number, extra: Partial<Measured> = {}): Measured => ({
  state: 'measured', variantId, sizeBytes: 10, peakRssBytes: 100 * 1024 * 1024, loadMs: 5, intraOpNumThreads: 1,
  prefill: { ...timing(10, 5), promptTokens: 64 },
  decode: { ...timing(decodeP50), tokens: 64, warmupTokens: 8, tokensPerS: 1000 / decodeP50 },
  energy: { provenance: 'rapl', joules: 1, joulesPerToken: 1 / 64 },
  ...extra,
});
const record = (measurements: MeasurementRecord[]): RunRecord => ({ measurements } as unknown as RunRecord);

test('repeat spread: a normal-consistent sd from the samples\' own quantiles', () => {
  // (p90 − p50)/z0.90 = 0.2/1.2815516 = 0.156060; (p99 − p50)/z0.99 = 0.6/2.3263479 = 0.257915
  assert.ok(Math.abs((repeatSpreadMs(timing(2)) as number) - 0.156060) < 1e-6);
  assert.ok(Math.abs((repeatSpreadMs(timing(2), 'p99Ms') as number) - 0.257915) < 1e-6);
  assert.is(repeatSpreadMs(timing(2, 1)), null, 'one sample has no spread');
  assert.equal(MEASURE_FIGURES.filter((f) => f.history).map((f) => f.id), ['prefill_p50_ms', 'decode_p50_ms', 'decode_p99_ms', 'tokens_per_s', 'peak_rss_bytes', 'joules_per_token']);
});

test('latency percentiles, RSS and energy with provenance; Δ against the within-run spread', () => {
  const a = record([measured('fast', 2), measured('gone', 3), measured('same', 4)]);
  const b = record([
    measured('fast', 3, { replayed: true, energy: { provenance: 'estimated', joules: 2, joulesPerToken: 2 / 64, tdpWattsPerCore: 10, formula: 'E = TDP × cpu s' } }),
    { state: 'not-applicable', variantId: 'gone', sizeBytes: 10, reason: 'n/a (simulated)' },
    measured('same', 4.05),
  ]);
  const [fast, gone, same] = compareMeasurements(a, b);
  const p50 = fast.figures.find((f) => f.figure === 'decode_p50_ms')!;
  assert.equal([p50.a, p50.b, p50.delta, p50.relative], [2, 3, 1, 0.5]);
  assert.ok(Math.abs((p50.withinRun as number) - 3 * 0.156060) < 1e-5);
  assert.is(p50.beyondNoise, true);
  assert.is(same.figures.find((f) => f.figure === 'decode_p50_ms')!.beyondNoise, false, '0.05 ms is inside ±0.47');
  assert.is(fast.figures.find((f) => f.figure === 'peak_rss_bytes')!.withinRun, null, 'one RSS reading per run: no repeats');
  assert.equal([fast.a.replayed, fast.b.replayed, fast.a.energyProvenance, fast.b.energyProvenance], [false, true, 'rapl', 'estimated']);
  assert.ok(fast.notes.some((n) => /energy provenance differs \(rapl -> estimated\)/.test(n)));
  assert.ok(fast.notes.some((n) => /^B replayed its figures from the measurement cache/.test(n)));
  assert.equal([gone.b.state, gone.b.detail, gone.figures[0].b, gone.figures[0].delta], ['not-applicable', 'n/a (simulated)', null, null]);
  const text = measurementLines([fast, gone, same]).join('\n');
  assert.match(text, /B measured \(replayed from cache\): 64 decode steps, 5 prefill passes, 1 thread\(s\), energy estimated/);
  assert.match(text, /decode p50 ms +2\.000 -> 3\.000 +Δ \+1\.000 \(\+50\.0%\); BEYOND ±0\.468/);
  assert.match(text, /peak RSS +100\.0 MiB -> 100\.0 MiB +Δ \+0\.0 MiB \(\+0\.0%\); no within-run repeats/);
  assert.match(text, /gone\n    A measured: .*\n    B n\/a \(n\/a \(simulated\)\)/);
});

test('compare A B prints measurements after the cells, and --json carries them', () => {
  const root = tempDir('compare-measure');
  const dirs = ['a', 'b'].map((id, i) => {
    const dir = writeRunDir(join(root, id), { runId: id, cells: { base: { qa: { acc: { value: 0.5 } } } } });
    const r = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...r, measurements: [measured('base', 2 + i, i === 1 ? { replayed: true } : {})] }));
    return dir;
  });
  const text = cli('compare', ...dirs);
  assert.is(text.code, 0, text.stderr);
  assert.ok(text.stdout.indexOf('only in B') < text.stdout.indexOf('measurements ('));
  assert.match(text.stdout, /decode p99 ms +2\.600 -> 3\.600/);
  const json = JSON.parse(cli('compare', ...dirs, '--json').stdout) as { measurements: { b: { replayed: boolean } }[] };
  assert.is(json.measurements[0].b.replayed, true);
});

test.run();
