/**
 * A synthetic but statistically real run folder for the report tests: per-instance
 * outcomes are drawn from a seeded generator, scored by the suites' own scorers and
 * aggregated/compared by `suites/` exactly as `compbench run` does, then written as
 * run.json + instances.jsonl. Variants: fp32 teacher (baseline), packed RTN w4 (measured),
 * simulated RTN w3 (not-applicable measurement, big knowledge drop with stable perplexity),
 * packed GPTQ w4 with an errored cell, and a distilled student. Wrong answers of the w3
 * variant carry injection payloads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../../core/rng.js';
import type { CellRecord, GateVerdict, MeasurementRecord, RunRecord, SuiteRecord, VariantRecord } from '../../core/run-record.js';
import { aggregateRecords, compareRecords, scoreOutcome, suiteRoleFields, type InstanceRecord, type MetricId, type Outcome, type SuiteSpec } from '../../suites/index.js';

/** Model outputs that must stay inert in every format. */
export const INJECTIONS = [
  '<script>alert(1)</script>',
  '</textarea><img src=x onerror=alert(2)>',
  'say "quoted" and \'single\'',
  '"; DROP TABLE runs; --',
  '=HYPERLINK("http://evil.example","click")',
  '-1+1',
  '@SUM(A1:A9)',
  '# heading *bold* _under_ `code` [link](http://x) | pipe \\ back',
] as const;

/** A suite of a fixture run: its spec, size, tags per instance index and optional groups. */
export interface FixtureSuite {
  readonly spec: SuiteSpec;
  readonly n: number;
  readonly tags: (i: number) => Record<string, string>;
  readonly groupId?: (i: number) => string;
}

const gen = (id: string, slices: string[], roles: Pick<SuiteSpec, 'role' | 'closedBookTwin'>): SuiteSpec => ({ id, version: '1.0.0', dataset: 'data.jsonl', kind: 'generate', metrics: ['contains', 'exact_match'], slices, ...roles });
const BUCKETS = ['1-4', '5-19', '20-99', '100+'];
const GROUPS = ['arabic', 'chinese', 'english', 'spanish'];

/** Suites of all four request kinds, with slices. */
export const FIXTURE_SUITES: readonly FixtureSuite[] = [
  { spec: gen('knowledge-closed', ['freq_bucket'], { role: 'knowledge-closed' }), n: 60, tags: (i) => ({ freq_bucket: BUCKETS[i % 3] }) },
  { spec: gen('knowledge-open', ['freq_bucket'], { role: 'knowledge-open', closedBookTwin: 'knowledge-closed' }), n: 60, tags: (i) => ({ freq_bucket: BUCKETS[i % 3] }) },
  { spec: gen('fairness', ['dialect'], { role: 'fairness' }), n: 60, tags: (i) => ({ dialect: i % 2 === 0 ? 'en' : 'sco' }), groupId: (i) => `item-${Math.floor(i / 2)}` },
  { spec: { id: 'rare-words', version: '1.0.0', dataset: 'data.jsonl', kind: 'rolling', metrics: ['word_nll', 'word_acc'], slices: ['freq_bucket'], role: 'rare-words' }, n: 48, tags: (i) => ({ freq_bucket: BUCKETS[i % 4] }) },
  { spec: { id: 'fairness-people', version: '1.0.0', dataset: 'data.jsonl', kind: 'multiple_choice', metrics: ['acc'], slices: ['group'], role: 'fairness' }, n: 48, tags: (i) => ({ group: GROUPS[i % 4] }), groupId: (i) => `s-${Math.floor(i / 4)}` },
  { spec: { id: 'fairness-pairs', version: '1.0.0', dataset: 'data.jsonl', kind: 'pair', metrics: ['pct_stereotype', 'likelihood_diff'], slices: ['group'], role: 'fairness-pairs' }, n: 40, tags: (i) => ({ group: GROUPS[i % 4] }) },
  { spec: { id: 'perplexity', version: '1.0.0', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity', 'bits_per_byte'], role: 'perplexity' }, n: 30, tags: () => ({}) },
];

/** A variant of a fixture run and how its per-instance outcomes are drawn. */
export interface VariantPlan {
  readonly record: VariantRecord;
  /** Probability of a right answer (generate / multiple choice / rare word). */
  readonly accuracy: number;
  /** Added NLL per token (perplexity goes up by exp of it). */
  readonly nllShift: number;
  readonly inject?: boolean;
  readonly erroredSuite?: string;
}

const sha = (c: string): string => c.repeat(64);

/** The fixture's variants. */
export const FIXTURE_VARIANTS: readonly VariantPlan[] = [
  { record: { id: 'teacher', model: 'teacher', method: 'none', params: {}, executionForm: 'reference', dir: 'datasets/models/teacher', modelSha256: sha('a'), sizeBytes: 4_000_000 }, accuracy: 0.8, nllShift: 0 },
  { record: { id: 'teacher/rtn-w4-g128', model: 'teacher', method: 'rtn', params: { bits: 4, groupSize: 128, symmetric: true }, executionForm: 'packed', dir: 'runs/variants/rtn-w4', modelSha256: sha('b'), sizeBytes: 700_000 }, accuracy: 0.78, nllShift: 0.005 },
  { record: { id: 'teacher/rtn-w3-g128', model: 'teacher', method: 'rtn', params: { bits: 3, groupSize: 128 }, executionForm: 'simulated', dir: 'runs/variants/rtn-w3', modelSha256: sha('c'), sizeBytes: 4_000_000 }, accuracy: 0.5, nllShift: 0.01, inject: true },
  { record: { id: 'teacher/gptq-w4-g128', model: 'teacher', method: 'gptq', params: { bits: 4, groupSize: 128, damp: 0.01, calibrationSha256: sha('d') }, executionForm: 'packed', dir: 'runs/variants/gptq-w4', modelSha256: sha('e'), sizeBytes: 720_000 }, accuracy: 0.79, nllShift: 0.004, erroredSuite: 'knowledge-open' },
  { record: { id: 'student', model: 'student', method: 'none', params: {}, executionForm: 'reference', dir: 'datasets/models/student', modelSha256: sha('f'), sizeBytes: 1_000_000, distilledFrom: 'teacher' }, accuracy: 0.6, nllShift: 0.2 },
];

function outcomeFor(suite: FixtureSuite, i: number, right: boolean, plan: VariantPlan, rng: Rng): { outcome: Outcome; prompt: string } {
  const expected = `answer-${i}`;
  switch (suite.spec.kind) {
    case 'generate': {
      const text = right ? expected : plan.inject ? INJECTIONS[i % INJECTIONS.length] : `wrong-${i}`;
      return { outcome: { kind: 'generate', text, answers: [expected] }, prompt: `Please give answer to this question: <b>q${i}</b> & "x"\nThe answer is ` };
    }
    case 'multiple_choice': {
      const gold = i % 2;
      const logprobs = [-2 - rng.next(), -2 - rng.next()];
      logprobs[gold] = right ? -1 : -3;
      return { outcome: { kind: 'multiple_choice', logprobs, choices: [' She', ' He'], gold }, prompt: `Person ${i} went home.` };
    }
    case 'rolling': {
      const tokenCount = 40 + (i % 7);
      const nllSum = tokenCount * (2.5 + 0.3 * rng.next() + plan.nllShift);
      const targets = suite.spec.role === 'rare-words' ? [{ word: `word${i}`, logprob: right ? -1.5 : -9 - rng.next(), isGreedy: right }] : [];
      return { outcome: { kind: 'rolling', nllSum, tokenCount, byteCount: tokenCount * 4, targets }, prompt: `text ${i}` };
    }
    case 'pair': {
      const more = -50 - 10 * rng.next();
      return { outcome: { kind: 'pair', logprobMore: more, logprobLess: right ? more - 1 : more + 1 }, prompt: `pair ${i}` };
    }
  }
}

/** Per-instance records of one variant on one suite (uniforms shared across variants, so flips are realistic). */
function suiteRecords(suite: FixtureSuite, plan: VariantPlan, shared: readonly number[]): (InstanceRecord & { prompt: string })[] {
  const rng = createRng(suite.spec.id.length * 7919 + plan.record.id.length);
  return shared.map((u, i) => {
    const { outcome, prompt } = outcomeFor(suite, i, u < plan.accuracy, plan, rng);
    const scores: Partial<Record<MetricId, number>> = {};
    for (const m of suite.spec.metrics as MetricId[]) scores[m] = scoreOutcome(m, outcome).score;
    return {
      suiteId: suite.spec.id, instanceId: `${suite.spec.id}-${i}`, instanceHash: sha('9').slice(0, 60) + String(i).padStart(4, '0'),
      tags: suite.tags(i), ...(suite.groupId ? { groupId: suite.groupId(i) } : {}),
      state: 'scored', outcome, scores, reasons: {}, prompt,
      ...(outcome.kind === 'generate' ? { answer: outcome.text } : {}),
    };
  });
}

function measurement(v: VariantRecord, decodeMs: number): MeasurementRecord {
  if (v.executionForm === 'simulated') return { state: 'not-applicable', variantId: v.id, sizeBytes: v.sizeBytes, reason: 'simulated (dequantized fp32) weights' };
  const timing = (ms: number, samples: number) => ({ samples, meanMs: ms * 1.02, p50Ms: ms, p90Ms: ms * 1.1, p95Ms: ms * 1.15, p99Ms: ms * 1.3 });
  return {
    state: 'measured', variantId: v.id, sizeBytes: v.sizeBytes, peakRssBytes: v.sizeBytes * 3 + 50_000_000, loadMs: 120, intraOpNumThreads: 2,
    prefill: { ...timing(decodeMs * 8, 20), promptTokens: 64 },
    decode: { ...timing(decodeMs, 200), tokens: 128, warmupTokens: 8, tokensPerS: 1000 / decodeMs },
    energy: { provenance: 'estimated', joules: decodeMs * 0.128 * 2, joulesPerToken: (decodeMs / 1000) * 2 * 10, tdpWattsPerCore: 10, cpuSeconds: decodeMs * 0.256 / 1000, formula: 'E = TDP per core × process CPU seconds' },
  };
}

/** The fixture's change envelope, as a run records one named by path (bounds wide enough for its small n). */
export const FIXTURE_ENVELOPE = {
  file: 'envelopes/fixture.json',
  sha256: sha('5'),
  envelope: { maxAccuracyDrop: 0.1, maxRelativeWorsening: 0.25, maxSliceDrop: 0.25, allowedMethods: ['rtn', 'gptq'] },
} as const;

/** Another plan for {@link buildFixtureRun}: suites, variants (compared with `record.comparedTo`, else the first), the gate, and the bootstrap's resamples. */
export interface FixturePlan {
  readonly suites: readonly FixtureSuite[];
  readonly variants: readonly VariantPlan[];
  readonly gate: (cells: readonly CellRecord[]) => GateVerdict;
  readonly resamples?: number;
}

/** Builds the synthetic run record and its instance lines (the default plan: {@link FIXTURE_SUITES} × {@link FIXTURE_VARIANTS}). */
export function buildFixtureRun(options: { runId?: string; createdAt?: string; plan?: FixturePlan } = {}): { record: RunRecord; instances: object[] } {
  const cells: CellRecord[] = [];
  const instances: object[] = [];
  const suitesOf = options.plan?.suites ?? FIXTURE_SUITES;
  const variantsOf = options.plan?.variants ?? FIXTURE_VARIANTS;
  const resamples = options.plan?.resamples ?? 200;
  for (const suite of suitesOf) {
    const shared = Array.from({ length: suite.n }, ((r) => () => r.next())(createRng(suite.spec.id.length * 31 + 5)));
    const hash = sha('1');
    const byId = new Map<string, InstanceRecord[]>();
    for (const plan of variantsOf) {
      // The default plan compares every variant with the first (a record without `pairing`); a plan pairs by comparedTo.
      const parent = options.plan ? plan.record.comparedTo : variantsOf[0].record.id;
      const base = parent === undefined ? undefined : byId.get(parent);
      if (plan.erroredSuite === suite.spec.id) {
        cells.push({ state: 'errored', variantId: plan.record.id, suiteId: suite.spec.id, durationMs: 12, error: '=HYPERLINK("http://evil.example","oom") <b>worker crashed</b>' });
        continue;
      }
      const records = suiteRecords(suite, plan, shared);
      const aggregate = aggregateRecords({ spec: suite.spec, hash }, records, { seed: 1, resamples });
      const vsBaseline = base && plan !== variantsOf[0] ? compareRecords(base, records, suite.spec.metrics as MetricId[], { seed: 1, resamples }) : undefined;
      byId.set(plan.record.id, records);
      cells.push({ state: 'ok', variantId: plan.record.id, suiteId: suite.spec.id, durationMs: 50, aggregate: { ...aggregate }, ...(vsBaseline ? { vsBaseline: { ...vsBaseline } } : {}) });
      for (const r of records) instances.push({ variantId: plan.record.id, ...r });
    }
  }
  const suites: SuiteRecord[] = suitesOf.map((s) => ({ id: s.spec.id, version: s.spec.version, kind: s.spec.kind, hash: sha('1'), n: s.n, metrics: [...s.spec.metrics], ...suiteRoleFields(s.spec) }));
  const gate: GateVerdict = options.plan ? options.plan.gate(cells) : {
    verdict: 'fail', policySource: 'policies/default.json', policySha256: sha('7'),
    rules: [
      { rule: 'knowledge-closed.noninferiority', kind: 'noninferiority', variantId: 'teacher/rtn-w4-g128', suiteId: 'knowledge-closed', metric: 'contains', value: -0.02, bound: -0.05, verdict: 'pass', reason: 'lower CI bound of Δ above −margin' },
      { rule: 'knowledge-closed.noninferiority', kind: 'noninferiority', variantId: 'teacher/rtn-w3-g128', suiteId: 'knowledge-closed', metric: 'contains', value: -0.35, bound: -0.05, verdict: 'fail', reason: 'lower CI bound of Δ −0.35 below −0.05' },
      { rule: 'knowledge-open.floor', kind: 'floor', variantId: 'teacher/gptq-w4-g128', suiteId: 'knowledge-open', metric: 'contains', value: null, bound: 0.5, verdict: 'fail', reason: 'cell errored (fail-closed)' },
    ],
  };
  const record: RunRecord = {
    schemaVersion: 1, tool: 'compbench', runId: options.runId ?? 'fixture-run-1', createdAt: options.createdAt ?? '2026-01-02T03:04:05.000Z',
    harness: { version: '0.1.0', gitSha: '0123456789abcdef0123456789abcdef01234567' },
    hardware: { cpuModel: 'Test CPU <x>', cpuFlags: ['avx2', 'avx512_vnni'], logicalCores: 2, memoryBytes: 25_000_000_000, os: 'linux', node: 'v20', onnxruntime: '1.30.0', executionProvider: 'cpu' },
    config: { seed: 1234, limit: null, changeEnvelope: FIXTURE_ENVELOPE },
    baseline: variantsOf[0].record.id,
    ...(options.plan ? { pairing: 'parent' as const } : {}),
    variants: variantsOf.map((p) => p.record),
    suites,
    cells,
    measurements: variantsOf.map((p, i) => measurement(p.record, 20 - (i % 9) * 2)),
    gate,
    complete: cells.every((c) => c.state === 'ok'),
  };
  return { record, instances };
}

/** Writes the fixture run to `dir` (run.json + instances.jsonl) and returns the record. */
export function writeFixtureRun(dir: string, options: { runId?: string; createdAt?: string; plan?: FixturePlan } = {}): RunRecord {
  const { record, instances } = buildFixtureRun(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(dir, 'instances.jsonl'), instances.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return record;
}
