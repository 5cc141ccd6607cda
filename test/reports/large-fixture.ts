/**
 * A fixture run the size of the default run after stories260K joins it (issue 17): 32
 * variants in three families (teacher, its distilled student, stories260k) × 10 suites,
 * paired by parent, with a gate of one non-inferiority rule per compared cell and a
 * latency rule per packed variant. One variant id carries markup, so every view of it
 * must escape. Built by the same scorers and statistics as {@link buildFixtureRun}.
 */
import type { CellRecord, GateRuleResult, GateVerdict, VariantRecord } from '../../core/run-record.js';
import { buildFixtureRun, FIXTURE_SUITES, writeFixtureRun, type FixtureSuite, type VariantPlan } from './fixtures.js';

/** A variant id with markup in it (escaped everywhere it is shown). */
export const MARKUP_VARIANT = 'stories260k/rtn-<i>w3</i>&"g32"';

const EXTRA_SUITES: readonly FixtureSuite[] = [
  { spec: { id: 'reasoning', version: '1.0.0', dataset: 'data.jsonl', kind: 'generate', metrics: ['exact_match'] }, n: 40, tags: () => ({}) },
  { spec: { id: 'tinystories-cloze', version: '1.0.0', dataset: 'data.jsonl', kind: 'multiple_choice', metrics: ['acc'] }, n: 40, tags: () => ({}) },
  { spec: { id: 'tinystories-perplexity', version: '1.0.0', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity'] }, n: 24, tags: () => ({}) },
];

const sha = (c: string): string => c.repeat(64);

function variant(id: string, model: string, method: string, params: Record<string, unknown>, form: VariantRecord['executionForm'], sizeBytes: number, comparedTo?: string): VariantRecord {
  return { id, model, method, params, executionForm: form, dir: `runs/variants/${model}-${method}`, modelSha256: sha('b'), sizeBytes, ...(comparedTo ? { comparedTo } : {}) };
}

function plans(): VariantPlan[] {
  const out: VariantPlan[] = [{ record: variant('teacher', 'teacher', 'none', {}, 'reference', 4_000_000), accuracy: 0.8, nllShift: 0 }];
  const methods = ['rtn', 'gptq', 'awq'];
  let k = 0;
  for (const method of methods) {
    for (const bits of [8, 4, 3, 2]) {
      const form = bits === 3 ? 'simulated' : 'packed';
      out.push({ record: variant(`teacher/${method}-w${bits}-g32`, 'teacher', method, { bits, groupSize: 32 }, form, (4_000_000 * bits) / 32 + 10_000 * k++, 'teacher'), accuracy: 0.8 - (8 - bits) * 0.025, nllShift: (8 - bits) * 0.01 });
    }
  }
  for (const [name, sparsity] of [['magnitude-50pct', 0.5], ['wanda-50pct', 0.5], ['structured-25pct', 0.25]] as const) {
    out.push({ record: variant(`teacher/${name}`, 'teacher', name.split('-')[0], { sparsity }, 'simulated', 4_000_000, 'teacher'), accuracy: 0.7, nllShift: 0.05 });
  }
  for (const type of ['Q8_0', 'Q6_K', 'Q5_K_M', 'Q4_K_M', 'Q3_K_M', 'Q2_K']) {
    out.push({ record: variant(`teacher/gguf-${type}`, 'teacher', 'gguf', { type }, 'packed', 300_000 * Number(type[1]), 'teacher'), accuracy: 0.81 - (8 - Number(type[1])) * 0.02, nllShift: 0.01 });
  }
  out.push({ record: { ...variant('student', 'student', 'none', {}, 'reference', 1_000_000, 'teacher'), distilledFrom: 'teacher' }, accuracy: 0.6, nllShift: 0.2 });
  out.push({ record: variant('student/rtn-w4-g32', 'student', 'rtn', { bits: 4, groupSize: 32 }, 'packed', 200_000, 'student'), accuracy: 0.58, nllShift: 0.21 });
  out.push({ record: variant('stories260k', 'stories260k', 'none', {}, 'reference', 1_100_000), accuracy: 0.7, nllShift: 0.1 });
  for (const [method, bits] of [['rtn', 4], ['rtn', 2], ['gptq', 4], ['gptq', 3], ['gptq', 2], ['awq', 4]] as const) {
    out.push({ record: variant(`stories260k/${method}-w${bits}-g32`, 'stories260k', method, { bits, groupSize: 32 }, 'packed', 40_000 * bits, 'stories260k'), accuracy: 0.7 - (4 - bits) * 0.08, nllShift: 0.1 + (4 - bits) * 0.05 });
  }
  out.push({ record: variant(MARKUP_VARIANT, 'stories260k', 'rtn', { bits: 3, groupSize: 32 }, 'simulated', 1_100_000, 'stories260k'), accuracy: 0.6, nllShift: 0.15 });
  return out;
}

/** One non-inferiority rule per compared cell of a share metric (margin 5 points), failing when the CI's lower bound is below it. */
function gate(cells: readonly CellRecord[]): GateVerdict {
  const rules: GateRuleResult[] = [];
  for (const c of cells) {
    if (c.state === 'errored' || !c.vsBaseline) continue;
    const metrics = (c.vsBaseline as { metrics?: Record<string, { delta: { low: number } }> }).metrics ?? {};
    for (const metric of ['contains', 'acc', 'exact_match', 'word_acc']) {
      const low = metrics[metric]?.delta.low;
      if (low === undefined) continue;
      const verdict = low < -0.05 ? 'fail' : 'pass';
      rules.push({ rule: `${c.suiteId}.noninferiority`, kind: 'noninferiority', variantId: c.variantId, suiteId: c.suiteId, metric, value: low, bound: -0.05, verdict, reason: verdict === 'fail' ? `lower CI bound of Δ ${low.toFixed(3)} below −0.05` : 'lower CI bound of Δ above −margin' });
      break;
    }
  }
  return { verdict: rules.some((r) => r.verdict === 'fail') ? 'fail' : 'pass', policySource: 'policies/large.json', policySha256: sha('7'), rules };
}

/** The large plan: {@link FIXTURE_SUITES} and three more × 32 variants. */
export const LARGE_PLAN = { suites: [...FIXTURE_SUITES, ...EXTRA_SUITES], variants: plans(), gate, resamples: 100 };

/** Builds the large fixture run. */
export function buildLargeFixtureRun(): ReturnType<typeof buildFixtureRun> {
  return buildFixtureRun({ runId: 'large-fixture-run', plan: LARGE_PLAN });
}

/** Writes the large fixture run to `dir` (run.json + instances.jsonl). */
export function writeLargeFixtureRun(dir: string): ReturnType<typeof writeFixtureRun> {
  return writeFixtureRun(dir, { runId: 'large-fixture-run', plan: LARGE_PLAN });
}
