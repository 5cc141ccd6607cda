/**
 * Nightly run folders for the history tests, shaped like `compbench run` writes them for
 * a teacher and its RTN variant `teacher/q` on two 0/1 suites. Per-instance outcomes come
 * from seeded draws shared by the variants (so they agree where a real model would), and
 * the 3-bit night flips a seeded share of the 4-bit variant's right answers: the change
 * history must find is a real paired change, computed by the code under test.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../../core/rng.js';
import type { MeasurementRecord } from '../../../core/run-record.js';
import { wilsonInterval } from '../../../core/stats/wilson.js';
import { writeRunDir, type SyntheticInstance } from '../compare/synthetic-run.js';

/** One night: which bit-width `teacher/q` has and how its measurements came about. */
export interface NightSpec {
  readonly runId: string;
  readonly day: number;
  /** RTN bits of `teacher/q`: 4 is packed (measured), 3 is simulated (no speed figures). */
  readonly bits?: 4 | 3;
  /**
   * `fresh`: measured this night, every figure scaled by `speed` (1 = night one's figures);
   * `replayed`: the figures of the last fresh night, replayed from the measurement cache.
   */
  readonly measured?: 'fresh' | 'replayed';
  readonly speed?: number;
  /** Figures of the last fresh night, for a replay (defaults to night one's). */
  readonly replayOf?: number;
}

const SUITES = [
  { id: 'fairness-people', metric: 'acc', n: 200, seed: 11 },
  { id: 'knowledge-closed', metric: 'contains', n: 150, seed: 23 },
] as const;

/** Right-answer rates of the teacher and the 4-bit variant; the 3-bit variant loses this share of the 4-bit's right answers. */
const RATE = { teacher: 0.93, q4: 0.92, lost3: 0.045 };

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function outcomes(bits: 4 | 3): { variantId: string; suiteId: string; metric: string; right: boolean[] }[] {
  return SUITES.flatMap((s) => {
    const shared = createRng(s.seed);
    const loss = createRng(s.seed + 1000);
    const u = Array.from({ length: s.n }, () => shared.next());
    const v = Array.from({ length: s.n }, () => loss.next());
    const q4 = u.map((x) => x < RATE.q4);
    return [
      { variantId: 'teacher', suiteId: s.id, metric: s.metric, right: u.map((x) => x < RATE.teacher) },
      { variantId: 'teacher/q', suiteId: s.id, metric: s.metric, right: bits === 4 ? q4 : q4.map((r, i) => r && v[i] >= RATE.lost3) },
    ];
  });
}

function timing(p50: number, spread: number, samples: number) {
  return { samples, meanMs: p50 + 0.2 * spread, p50Ms: p50, p90Ms: p50 + spread, p95Ms: p50 + 1.5 * spread, p99Ms: p50 + 3 * spread };
}

/** The figures of a measured variant at `speed` (1 = night one). */
export function measuredFigures(variantId: string, speed: number, rssScale = 1): Extract<MeasurementRecord, { state: 'measured' }> {
  const base = variantId === 'teacher' ? 3.0 : 2.0;
  const decode = timing(base * speed, 0.1 * base, 64);
  return {
    state: 'measured', variantId, sizeBytes: variantId === 'teacher' ? 4_000_000 : 700_000,
    peakRssBytes: Math.round((variantId === 'teacher' ? 145_000_000 : 118_000_000) * rssScale), loadMs: 100, intraOpNumThreads: 1,
    prefill: { ...timing(8 * base * speed, 0.5 * base, 5), promptTokens: 64 },
    decode: { ...decode, tokens: 64, warmupTokens: 8, tokensPerS: 1000 / decode.meanMs },
    energy: { provenance: 'estimated', joules: 0.5 * speed, joulesPerToken: (0.5 * speed) / 64, tdpWattsPerCore: 10, cpuSeconds: 0.05 * speed, formula: 'E = TDP per core × process CPU seconds' },
  };
}

/** Writes one night's run.json and instances.jsonl into `root/runId`; returns the folder. */
export function writeNight(root: string, spec: NightSpec): string {
  const bits = spec.bits ?? 4;
  const rows = outcomes(bits);
  const cells: Record<string, Record<string, Record<string, { value: number; low: number; high: number; n: number }>>> = {};
  const instances: SyntheticInstance[] = [];
  for (const r of rows) {
    const k = r.right.filter(Boolean).length;
    const ci = wilsonInterval(k, r.right.length);
    (cells[r.variantId] ??= {})[r.suiteId] = { [r.metric]: { value: k / r.right.length, low: ci.low, high: ci.high, n: r.right.length } };
    r.right.forEach((right, i) => instances.push({ variantId: r.variantId, suiteId: r.suiteId, instanceId: `${r.suiteId}-${i}`, instanceHash: sha(`${r.suiteId}-${i}`), scores: { [r.metric]: right ? 1 : 0 } }));
  }
  const createdAt = `2026-02-${String(spec.day).padStart(2, '0')}T02:00:00.000Z`;
  const config = { seed: 1234, limit: 200, methods: [{ method: 'rtn', bits, group: 32, id: 'q' }], measurement: { enabled: true, reuse: true } };
  const dir = writeRunDir(
    join(root, spec.runId),
    {
      runId: spec.runId, createdAt, config,
      variants: [{ id: 'teacher', modelSha256: sha('teacher') }, { id: 'teacher/q', modelSha256: sha(`teacher/q w${bits}`) }],
      suites: SUITES.map((s) => ({ id: s.id, metrics: [s.metric] })),
      cells,
    },
    instances,
  );
  // The synthetic writer knows one measurement shape; replace it with this night's.
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify({ ...record, measurements: measurementsOf(spec, bits) }, null, 1)}\n`);
  return dir;
}

function measurementsOf(spec: NightSpec, bits: 4 | 3): MeasurementRecord[] {
  const speed = spec.measured === 'replayed' ? (spec.replayOf ?? 1) : (spec.speed ?? 1);
  const replayed = spec.measured === 'replayed' ? { replayed: true } : {};
  const teacher = { ...measuredFigures('teacher', speed), ...replayed };
  const q: MeasurementRecord =
    bits === 3
      ? { state: 'not-applicable', variantId: 'teacher/q', sizeBytes: 4_000_000, reason: 'n/a (simulated): dequantized fp32 weights, no packed kernel ran' }
      : { ...measuredFigures('teacher/q', speed), ...replayed };
  return [teacher, q];
}
