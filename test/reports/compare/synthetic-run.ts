import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder for one test. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `compbench-${label}-`));
}

/** One metric of a synthetic cell: its value and 95% interval. */
export interface SyntheticMetric {
  readonly value: number;
  readonly low?: number;
  readonly high?: number;
  readonly n?: number;
  readonly higherIsBetter?: boolean;
  /** `wilson` for 0/1 metrics (default), `bootstrap` otherwise. */
  readonly method?: 'wilson' | 'bootstrap';
}

/** What a synthetic run holds; everything not given gets a fixed default. */
export interface SyntheticRun {
  readonly runId: string;
  readonly createdAt?: string;
  readonly gitSha?: string | null;
  readonly version?: string;
  readonly config?: Record<string, unknown>;
  readonly cpuModel?: string;
  readonly variants?: readonly { readonly id: string; readonly modelSha256?: string }[];
  readonly suites?: readonly { readonly id: string; readonly hash?: string; readonly metrics: readonly string[] }[];
  /** variantId → suiteId → metric → figures; `'errored'` for a failed cell. */
  readonly cells: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, SyntheticMetric>> | 'errored'>>>>;
  readonly gate?: 'pass' | 'fail';
  readonly measurements?: readonly { readonly variantId: string; readonly decodeP50Ms: number; readonly tokensPerS: number }[];
}

/** A per-instance line (the fields comparisons read, plus the tags run writes). */
export interface SyntheticInstance {
  readonly variantId: string;
  readonly suiteId: string;
  readonly instanceId: string;
  readonly instanceHash?: string;
  readonly state?: 'scored' | 'errored';
  readonly scores?: Record<string, number>;
}

const SHA = (c: string): string => c.repeat(64);

/** A run.json object that satisfies core/schemas/run-record.schema.json. */
export function syntheticRecord(run: SyntheticRun): Record<string, unknown> {
  const suites = run.suites ?? [{ id: 'qa', metrics: ['acc'] }];
  const cells = Object.entries(run.cells).flatMap(([variantId, bySuite]) =>
    Object.entries(bySuite).map(([suiteId, metrics]) =>
      metrics === 'errored'
        ? { state: 'errored', variantId, suiteId, durationMs: 1, error: 'synthetic failure' }
        : {
            state: 'ok',
            variantId,
            suiteId,
            durationMs: 1,
            aggregate: {
              suiteId,
              metrics: Object.fromEntries(
                Object.entries(metrics).map(([metric, m]) => [
                  metric,
                  {
                    metric,
                    unit: '',
                    higherIsBetter: m.higherIsBetter ?? true,
                    overall: { n: m.n ?? 100, value: m.value, low: m.low ?? m.value, high: m.high ?? m.value, method: m.method ?? 'wilson', tooFew: false },
                  },
                ]),
              ),
            },
          },
    ),
  );
  const variants: readonly { readonly id: string; readonly modelSha256?: string }[] = run.variants ?? Object.keys(run.cells).map((id) => ({ id }));
  return {
    schemaVersion: 1,
    tool: 'compbench',
    runId: run.runId,
    createdAt: run.createdAt ?? '2026-01-01T00:00:00.000Z',
    harness: { version: run.version ?? '0.1.0', gitSha: run.gitSha === undefined ? 'abc1234' : run.gitSha },
    hardware: {
      cpuModel: run.cpuModel ?? 'Test CPU',
      cpuFlags: ['avx2'],
      logicalCores: 2,
      memoryBytes: 1024,
      os: 'linux',
      node: 'v20',
      onnxruntime: '1.30.0',
      executionProvider: 'cpu',
    },
    config: run.config ?? { seed: 1, limit: 5 },
    baseline: variants[0]?.id ?? 'base',
    variants: variants.map((v) => ({
      id: v.id,
      model: v.id,
      method: 'none',
      params: {},
      executionForm: 'reference',
      dir: `models/${v.id}`,
      modelSha256: v.modelSha256 ?? SHA('a'),
      sizeBytes: 10,
    })),
    suites: suites.map((s) => ({ id: s.id, version: '1', kind: 'multiple_choice', hash: s.hash ?? SHA('b'), n: 100, metrics: s.metrics })),
    cells,
    ...(run.measurements
      ? {
          measurements: run.measurements.map((m) => ({
            state: 'measured',
            variantId: m.variantId,
            sizeBytes: 10,
            peakRssBytes: 1000,
            loadMs: 1,
            intraOpNumThreads: 1,
            prefill: { samples: 5, meanMs: 1, p50Ms: 1, p90Ms: 1, p95Ms: 1, p99Ms: 1, promptTokens: 8 },
            decode: { samples: 5, meanMs: m.decodeP50Ms, p50Ms: m.decodeP50Ms, p90Ms: m.decodeP50Ms, p95Ms: m.decodeP50Ms, p99Ms: m.decodeP50Ms * 2, tokens: 5, warmupTokens: 1, tokensPerS: m.tokensPerS },
            energy: { provenance: 'rapl', joules: 1, joulesPerToken: 0.2 },
          })),
        }
      : {}),
    ...(run.gate ? { gate: { verdict: run.gate, policySource: 'default', policySha256: SHA('c'), rules: [] } } : {}),
    complete: cells.every((c) => c.state === 'ok'),
  };
}

/** Writes DIR/run.json (and DIR/instances.jsonl when instances are given); returns DIR. */
export function writeRunDir(dir: string, run: SyntheticRun, instances?: readonly SyntheticInstance[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(syntheticRecord(run), null, 1)}\n`);
  if (instances) {
    const lines = instances.map((i) =>
      JSON.stringify({
        variantId: i.variantId,
        suiteId: i.suiteId,
        instanceId: i.instanceId,
        instanceHash: i.instanceHash ?? `h-${i.instanceId}`,
        tags: {},
        state: i.state ?? 'scored',
        ...(i.state === 'errored' ? { error: 'synthetic', isFatal: false } : { scores: i.scores ?? {}, outcome: { kind: 'multiple_choice' }, reasons: {} }),
      }),
    );
    writeFileSync(join(dir, 'instances.jsonl'), `${lines.join('\n')}\n`);
  }
  return dir;
}
