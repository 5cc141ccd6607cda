import type { GateRuleResult, MeasurementRecord, RunRecord, TimingStats } from '../../core/run-record.js';
import { checkMeasured, failClosed, type Check } from './checks.js';
import type { GatePolicy, GateRule } from './policy.js';
import { fmt, measurementOf } from './record-view.js';
import { ruleResult } from './result.js';

type Measured = Extract<MeasurementRecord, { state: 'measured' }>;

/** One figure a latency or memory rule bounds. */
interface Figure {
  /** Reported as the result's metric, e.g. `decode.p99Ms`. */
  readonly name: string;
  readonly what: string;
  readonly max: number;
  readonly check: (m: Measured) => Check;
}

/**
 * A latency or memory rule on one variant: one result per bounded figure (p99 decode,
 * p99 prefill, peak RSS). Missing or errored measurements fail; a simulated variant
 * (`not-applicable`) is skipped, visibly, or failed when the policy says `simulated: "fail"`.
 */
export function measuredRule(record: RunRecord, policy: GatePolicy, rule: GateRule, variantId: string): GateRuleResult[] {
  const figures = figuresOf(rule);
  const measurement = measurementOf(record, variantId);
  return figures.map((f) => ruleResult(rule, variantId, { metric: f.name }, checkFigure(measurement, f, rule.simulated ?? policy.simulated ?? 'skip')));
}

function checkFigure(measurement: ReturnType<typeof measurementOf>, f: Figure, simulated: 'skip' | 'fail'): Check {
  if (!measurement.ok) return failClosed(f.max, measurement.reason);
  const m = measurement.value;
  switch (m.state) {
    case 'errored':
      return failClosed(f.max, `measurement of ${m.variantId} errored: ${m.error}`);
    case 'not-applicable':
      return simulated === 'skip'
        ? { value: null, bound: f.max, verdict: 'skip', reason: `skip (simulated): ${m.reason.replace(/^n\/a \(simulated\):\s*/u, '')}` }
        : failClosed(f.max, `simulated variant has no ${f.what} figure (${m.reason}) and the policy says simulated: "fail"`);
    case 'measured':
      return f.check(m);
  }
}

function figuresOf(rule: GateRule): Figure[] {
  if (rule.kind === 'memory') {
    const max = rule.maxPeakRssBytes!;
    return [
      {
        name: 'peakRssBytes',
        what: 'memory',
        max,
        check: (m) => checkMeasured(m.peakRssBytes, max, `peak RSS ${mib(m.peakRssBytes)} vs ${mib(max)}`),
      },
    ];
  }
  const figures: Figure[] = [];
  if (rule.decodeP99Ms !== undefined) {
    const max = rule.decodeP99Ms;
    figures.push({
      name: 'decode.p99Ms',
      what: 'latency',
      max,
      check: (m) => timing(m.decode, max, `per-token decode over ${m.decode.samples} samples, ${fmt(m.decode.tokensPerS)} tok/s, ${m.intraOpNumThreads} threads`),
    });
  }
  if (rule.prefillP99Ms !== undefined) {
    const max = rule.prefillP99Ms;
    figures.push({
      name: 'prefill.p99Ms',
      what: 'latency',
      max,
      check: (m) => timing(m.prefill, max, `prefill of ${m.prefill.promptTokens} tokens over ${m.prefill.samples} samples, ${m.intraOpNumThreads} threads`),
    });
  }
  return figures;
}

function timing(stats: TimingStats, max: number, detail: string): Check {
  if (!(stats.samples >= 1) || !Number.isFinite(stats.p99Ms)) return failClosed(max, `no timed samples (${detail})`);
  return checkMeasured(stats.p99Ms, max, `p99 ms, ${detail}`);
}

/** Bytes as MiB for a rule's reason. */
export function mib(bytes: number): string {
  return `${fmt(bytes / 2 ** 20)} MiB`;
}
