/**
 * A synthetic run record of the default matrix: the variants `compbench run` plans from
 * the bundled config, on the bundled suites' real instances (ids, hashes, slice tags
 * and counterfactual groups), with outcomes drawn from a seeded generator so that each
 * variant loses a chosen share of what the baseline gets right. The profiles follow
 * issue 23: the 3-bit, magnitude and structured variants lose little on the point
 * estimate of most shares but fail the default gate (a CI bound beyond the margin, or
 * rare-word NLL up by 0.77 nats).
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../../core/paths.js';
import { suitesOfModel } from '../../../runners/matrix/model-suites.js';
import { createRng } from '../../../core/rng.js';
import type { CellRecord, RunRecord, VariantRecord } from '../../../core/run-record.js';
import { loadRunConfig } from '../../../runners/matrix/config.js';
import { planVariants } from '../../../runners/matrix/plan.js';
import {
  aggregateRecords,
  compareRecords,
  loadSuite,
  scoreOutcome,
  suiteRoleFields,
  type InstanceRecord,
  type LoadedSuite,
  type MetricId,
  type Outcome,
} from '../../../suites/index.js';

/** How much a variant loses: the share of the baseline's right answers it gets wrong, per suite role, and added NLL. */
interface Profile {
  readonly lost: number;
  /** Overrides of `lost` by suite id. */
  readonly bySuite?: Readonly<Record<string, number>>;
  /** Added NLL of a target word (nats) and per token of a perplexity text. */
  readonly wordNll: number;
  readonly tokenNll: number;
}

const PROFILES: readonly [RegExp, Profile][] = [
  [/rtn-w8/u, { lost: 0, wordNll: 0, tokenNll: 0 }],
  [/(rtn|gptq|awq)-w4|nf4|smoothquant/u, { lost: 0.01, wordNll: 0.02, tokenNll: 0.005 }],
  [/wanda|nm-/u, { lost: 0.02, wordNll: 0.05, tokenNll: 0.01 }],
  [/-w3-/u, { lost: 0.04, wordNll: 0.1, tokenNll: 0.02 }],
  [/magnitude/u, { lost: 0.03, bySuite: { 'knowledge-open': 0.043 }, wordNll: 0.1, tokenNll: 0.02 }],
  [/structured/u, { lost: 0.02, wordNll: 0.77, tokenNll: 0.03 }],
  [/rtn-w2/u, { lost: 0.5, wordNll: 3, tokenNll: 1 }],
];

/** The bundled envelope file's contents, as `compbench run` records them. */
function bundledEnvelope(): Record<string, unknown> {
  return JSON.parse(readFileSync(packagePath('runners', 'matrix', 'change-envelope.json'), 'utf8')) as Record<string, unknown>;
}

function profileOf(id: string): Profile {
  return PROFILES.find(([re]) => re.test(id))?.[1] ?? { lost: 0.02, wordNll: 0.05, tokenNll: 0.01 };
}

/** The teacher's accuracy on each bundled suite (README), so interval widths are those of the default run. */
const BASE_RIGHT: Readonly<Record<string, number>> = {
  'knowledge-closed': 0.62, 'knowledge-open': 0.633, reasoning: 0.385, fairness: 0.56, 'fairness-people': 0.938, 'fairness-pairs': 0.627, 'rare-words': 0.5, perplexity: 0.5,
};

function outcomeFor(suite: LoadedSuite, i: number, right: boolean, nll: number, rngValue: number): Outcome {
  const fields = suite.instances[i].fields;
  switch (suite.spec.kind) {
    case 'generate':
      return { kind: 'generate', text: right ? `gold-${i}` : `other-${i}`, answers: [`gold-${i}`] };
    case 'multiple_choice':
      return { kind: 'multiple_choice', logprobs: right ? [-1, -2 - rngValue] : [-2 - rngValue, -1], choices: ['a', 'b'], gold: 0 };
    case 'pair': {
      const more = -40 - 10 * rngValue;
      return { kind: 'pair', logprobMore: more, logprobLess: right ? more + 0.5 + rngValue : more - 0.5 - rngValue };
    }
    case 'rolling': {
      const tokenCount = 30 + (i % 11);
      const word = typeof fields.target === 'string' ? fields.target : undefined;
      return {
        kind: 'rolling',
        nllSum: tokenCount * (2.5 + 0.4 * rngValue + nll),
        tokenCount,
        byteCount: tokenCount * 4,
        targets: word === undefined ? [] : [{ word, logprob: right ? -1.5 - rngValue - nll : -7 - rngValue - nll, isGreedy: right }],
      };
    }
  }
}

/**
 * The variants of the default config that run the bundled corpus suites (teacher and student
 * families; stories260K runs the TinyStories suites), as the run records them (forms: low-bit
 * and pruned shapes packed where a kernel runs them).
 */
export function defaultVariants(): VariantRecord[] {
  const config = loadRunConfig(undefined);
  const corpusSuite = packagePath('suites', 'perplexity');
  return planVariants(config).filter((p) => suitesOfModel(config, p.model).includes(corpusSuite)).map((p, i) => {
    const method = p.compress?.method ?? 'none';
    const bits = (p.compress?.params as { bits?: number } | undefined)?.bits;
    const packed = method === 'nf4' || method === 'smoothquant' || method === 'structured' || bits === 4 || bits === 8 || bits === 2;
    return {
      id: p.id, model: p.model, method, params: p.compress?.params ?? {}, executionForm: method === 'none' ? 'reference' : packed ? 'packed' : 'simulated',
      dir: `variants/${i}`, modelSha256: i.toString(16).padStart(64, '0'), sizeBytes: 18_000_000 - i * 100_000,
      ...(p.distilledFrom ? { distilledFrom: p.distilledFrom } : {}),
      ...(p.recoveredFrom ? { recoveredFrom: p.recoveredFrom } : {}),
    };
  });
}

/** Builds the synthetic default run: run record (without a gate verdict) and instance lines. */
export function buildDefaultRun(suiteDirs: readonly string[]): { record: RunRecord; instances: object[] } {
  const suites = suiteDirs.map((d) => loadSuite(d));
  const variants = defaultVariants();
  const cells: CellRecord[] = [];
  const instances: object[] = [];
  for (const suite of suites) {
    const n = suite.instances.length;
    // Instances of one counterfactual group share most of their draw, as real variants of one item do.
    const rng = createRng(suite.spec.id.length * 7919);
    const groupDraw = new Map<string, number>();
    const u = suite.instances.map((inst) => {
      const g = inst.groupId === undefined ? rng.next() : groupDraw.get(inst.groupId) ?? (groupDraw.set(inst.groupId, rng.next()), groupDraw.get(inst.groupId)!);
      return 0.5 * g + 0.5 * rng.next();
    });
    const jitter = Array.from({ length: n }, () => rng.next());
    const sorted = [...u].sort((a, b) => a - b);
    // Right when the draw is below the empirical q-quantile: exactly a share q of the suite is right.
    const below = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.round(q * n)))];
    let base: InstanceRecord[] | undefined;
    for (const v of variants) {
      const p = v.method === 'none' ? (v.id === 'teacher' ? { lost: 0, wordNll: 0, tokenNll: 0 } : { lost: 0.3, wordNll: 1, tokenNll: 0.3 }) : profileOf(v.id);
      const lost = p.bySuite?.[suite.spec.id] ?? p.lost;
      const records: InstanceRecord[] = suite.instances.map((inst, i) => {
        // The variant loses exactly the baseline's right answers with the highest draws: only right→wrong flips.
        const right = u[i] < below((BASE_RIGHT[suite.spec.id] ?? 0.6) - lost);
        const nll = suite.spec.id === 'perplexity' ? p.tokenNll : p.wordNll;
        const outcome = outcomeFor(suite, i, right, nll, jitter[i]);
        const scores: Partial<Record<MetricId, number>> = {};
        for (const m of suite.spec.metrics as MetricId[]) scores[m] = scoreOutcome(m, outcome).score;
        return { suiteId: suite.spec.id, instanceId: inst.id, instanceHash: inst.hash, tags: inst.tags, ...(inst.groupId === undefined ? {} : { groupId: inst.groupId }), state: 'scored', outcome, scores, reasons: {} };
      });
      const aggregate = aggregateRecords(suite, records, { seed: 1, resamples: 300 });
      const vsBaseline = base ? compareRecords(base, records, suite.spec.metrics as MetricId[], { seed: 1, resamples: 300 }) : undefined;
      base ??= records;
      cells.push({ state: 'ok', variantId: v.id, suiteId: suite.spec.id, durationMs: 1, aggregate: { ...aggregate }, ...(vsBaseline ? { vsBaseline: { ...vsBaseline } } : {}) });
      for (const r of records.slice(0, 3)) instances.push({ variantId: v.id, ...r });
    }
  }
  const record: RunRecord = {
    schemaVersion: 1, tool: 'compbench', runId: 'default-synthetic', createdAt: '2026-02-01T02:00:00.000Z',
    harness: { version: '0.1.0', gitSha: null },
    hardware: { cpuModel: 'synthetic', cpuFlags: [], logicalCores: 2, memoryBytes: 1e9, os: 'linux', node: 'v20', onnxruntime: '1.30.0', executionProvider: 'cpu' },
    config: {
      seed: 1234,
      changeEnvelope: { file: 'runners/matrix/change-envelope.json', sha256: 'e'.repeat(64), envelope: bundledEnvelope() },
    },
    baseline: 'teacher',
    variants,
    suites: suites.map((s) => ({ id: s.spec.id, version: s.spec.version, kind: s.spec.kind, hash: s.hash, n: s.instances.length, metrics: [...s.spec.metrics], ...suiteRoleFields(s.spec) })),
    cells,
    complete: true,
  };
  return { record, instances };
}
