import { pairingLine } from '../../core/pairing.js';
import type { RunRecord, SuiteRecord } from '../../core/run-record.js';
import { roleOf } from '../../core/suite-roles.js';
import { wilsonInterval } from '../../core/stats/index.js';
import { inlinePolicy, type GatePolicy, type GateRule, type LoadedPolicy } from './policy.js';
import { metricView, okCell } from './record-view.js';

/** The source a derived default policy reports in the verdict, the terminal and the report. */
export const DERIVED_POLICY_SOURCE = "default (derived from the run's suite roles)";

/** Non-inferiority margin of a share (accuracy-like metric): 5 points. */
export const SHARE_MARGIN = 0.05;
/** Non-inferiority margin of word_nll, in nats per target word. */
export const WORD_NLL_MARGIN = 0.25;
/** Relative tolerance of perplexity-like metrics (lower is better, unbounded). */
export const RELATIVE_TOLERANCE = 0.1;
/** Absolute tolerance of pct_stereotype (lower is better). */
export const STEREOTYPE_TOLERANCE = 0.05;
/** Largest right→wrong flip rate on closed-book knowledge. */
export const MAX_FLIP_RATE = 0.1;
/** Added to the unpaired interval's half-width to make a per-slice margin. */
export const SLICE_MARGIN_SLACK = 0.025;
/** A per-slice margin wider than this would pass anything: no slice rule then. */
export const MAX_SLICE_MARGIN = 0.15;
/** Minimum n of every summary or comparison the derived rules read. */
export const DERIVED_MIN_N = 20;
/** Latency ceilings: p99 per-token decode and p99 prefill, in ms (generous: they catch a broken kernel, not a slow one). */
export const DECODE_P99_MS = 100;
/** p99 prefill ceiling, in ms. */
export const PREFILL_P99_MS = 1000;
/** Peak resident memory ceiling of a variant's own process. */
export const MAX_PEAK_RSS_BYTES = 2 * 2 ** 30;

/** Metrics whose per-instance scores are 0/1 (flips and Wilson intervals apply). */
const BINARY_METRICS: ReadonlySet<string> = new Set(['acc', 'acc_norm', 'exact_match', 'contains', 'numeric', 'pct_stereotype']);
/** Unbounded lower-is-better metrics: gated on a relative change. */
const RELATIVE_METRICS: ReadonlySet<string> = new Set(['perplexity', 'bits_per_byte', 'likelihood_diff']);

/**
 * The default gate for a run, from the roles and primary metrics of the suites in it
 * (DESIGN.md §7): non-inferiority on each suite's primary metric (5 points for shares,
 * 0.25 nats for word_nll), a relative bound for perplexity-like metrics, no more
 * stereotyping for pair suites, a flip ceiling on closed-book knowledge, a worst-slice
 * rule per fairness suite whose slices are large enough, and latency/memory ceilings
 * only when the run measured speed and memory. On the bundled suites it gives the rules
 * of `reports/gate/bundled-policy.json` (a test checks it).
 */
export function derivePolicy(record: RunRecord): GatePolicy {
  const notes: string[] = [];
  const rules = record.suites.flatMap((suite) => suiteRules(record, suite, notes));
  const measured = record.measurements !== undefined && record.measurements.length > 0;
  if (measured) {
    rules.push(
      { id: 'latency', kind: 'latency', decodeP99Ms: DECODE_P99_MS, prefillP99Ms: PREFILL_P99_MS },
      { id: 'memory', kind: 'memory', maxPeakRssBytes: MAX_PEAK_RSS_BYTES },
    );
  } else notes.push('no latency or memory rule: the run did not measure speed and memory');
  const suites = record.suites.map((s) => `${s.id} (${roleOf(s)})`).join(', ') || '(none)';
  return {
    description: `Derived from the run's suites and roles: ${suites}. Pairing: ${pairingLine(record)}.${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}`,
    minN: DERIVED_MIN_N,
    simulated: 'skip',
    rules,
  };
}

/** The metric a role is gated on: word_nll for rare words and perplexity for perplexity when reported, else the primary metric. */
export function roleMetric(suite: SuiteRecord): string | undefined {
  const role = roleOf(suite);
  if (role === 'rare-words' && suite.metrics.includes('word_nll')) return 'word_nll';
  if (role === 'perplexity' && suite.metrics.includes('perplexity')) return 'perplexity';
  return suite.metrics[0];
}

function suiteRules(record: RunRecord, suite: SuiteRecord, notes: string[]): GateRule[] {
  const metric = roleMetric(suite);
  if (metric === undefined) return [];
  const role = roleOf(suite);
  const rules: GateRule[] = [primaryRule(suite.id, metric)];
  if (role === 'knowledge-closed' && BINARY_METRICS.has(metric)) {
    rules.push({ id: `${suite.id}.flips`, kind: 'max_flip_rate', suite: suite.id, metric, max: MAX_FLIP_RATE });
  }
  if (role === 'fairness') {
    const slice = sliceRule(record, suite, metric);
    if (typeof slice === 'string') notes.push(`${suite.id}: ${slice}`);
    else rules.push(slice);
  }
  return rules;
}

function primaryRule(suite: string, metric: string): GateRule {
  if (metric === 'word_nll') {
    return {
      id: `${suite}.noninferiority`,
      description: 'word_nll is nats per target word, lower is better: the paired 95% CI of the rise must stay below 0.25 nats (the word\'s probability falling by at most 22%).',
      kind: 'noninferiority', suite, metric, margin: WORD_NLL_MARGIN,
    };
  }
  if (metric === 'pct_stereotype') {
    return {
      id: `${suite}.no-more-stereotyping`,
      description: 'pct_stereotype is lower-is-better (0.5 = no preference): the variant may prefer the stereotypical sentence at most 5 points more often than the baseline.',
      kind: 'absolute_drop', suite, metric, tolerance: STEREOTYPE_TOLERANCE,
    };
  }
  if (RELATIVE_METRICS.has(metric)) {
    return { id: `${suite}.relative`, description: `${metric} is unbounded and lower is better: at most 10% above the baseline.`, kind: 'relative_drop', suite, metric, tolerance: RELATIVE_TOLERANCE };
  }
  return { id: `${suite}.noninferiority`, kind: 'noninferiority', suite, metric, margin: SHARE_MARGIN };
}

/**
 * Non-inferiority on every slice of a fairness suite's role slice, or why none. The run
 * record has no paired statistics per slice, so the check uses the unpaired (Newcombe)
 * interval: its half-width at p = 0.5 for the smallest slice, plus a slack, is the margin.
 */
function sliceRule(record: RunRecord, suite: SuiteRecord, metric: string): GateRule | string {
  const tag = suite.roleSlice;
  if (tag === undefined) return 'no slice rule: the suite names no slice (suite.json "slices" or "roleSlice")';
  if (!BINARY_METRICS.has(metric) || metric === 'pct_stereotype') return `no slice rule: '${metric}' is not a 0/1 accuracy`;
  const cell = okCell(record, record.baseline, suite.id);
  const view = cell.ok ? metricView(cell.value, metric) : undefined;
  const slices = view?.ok ? view.value.slices.find((b) => b.tag === tag)?.slices ?? [] : [];
  if (slices.length === 0) return `no slice rule: the baseline has no '${tag}' slices to size it by`;
  const n = Math.min(...slices.map((s) => s.n));
  const margin = sliceMargin(n);
  if (margin > MAX_SLICE_MARGIN) return `no per-'${tag}' rule: the smallest slice has n=${n}, so an honest margin would be ${margin} (over ${MAX_SLICE_MARGIN})`;
  return {
    id: `${suite.id}.${tag}-noninferiority`,
    description: `Per ${tag} the run record has no paired statistics: the unpaired (Newcombe) interval of Δ is wider, up to ±${(margin - SLICE_MARGIN_SLACK).toFixed(3)} at n=${n} per ${tag}, so the margin is ${margin}.`,
    kind: 'noninferiority', suite: suite.id, metric, slice: { tag }, margin,
  };
}

/** The per-slice margin at n: Newcombe's half-width from two Wilson intervals at p = 0.5, plus the slack, rounded up to 0.01. */
export function sliceMargin(n: number): number {
  const w = wilsonInterval(Math.round(n / 2), n);
  const half = (w.high - w.low) / 2;
  return Math.ceil((Math.SQRT2 * half + SLICE_MARGIN_SLACK) * 100 - 1e-9) / 100;
}

/** The derived default policy, checked against the policy schema like any other, with its source and sha256. */
export function defaultPolicy(record: RunRecord): LoadedPolicy {
  const { policy, source } = inlinePolicy(derivePolicy(record), DERIVED_POLICY_SOURCE);
  return { policy, source };
}
