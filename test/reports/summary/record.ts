import type { GateRuleResult, MeasurementRecord, RunRecord, VariantRecord } from '../../../core/run-record.js';

/** A paired Δ of a share metric (unit '', higher is better) or of perplexity (lower is better). */
export interface CellPlan {
  readonly variantId: string;
  readonly suiteId: string;
  readonly base: number;
  readonly delta: number;
  readonly low: number;
  readonly high: number;
}

const SUITE_UNITS: Record<string, { metric: string; unit: string; higherIsBetter: boolean }> = {
  perplexity: { metric: 'perplexity', unit: 'ppl', higherIsBetter: false },
};

function unitOf(suiteId: string): { metric: string; unit: string; higherIsBetter: boolean } {
  return SUITE_UNITS[suiteId] ?? { metric: 'acc', unit: '', higherIsBetter: true };
}

/** A variant compared with `comparedTo`. */
export function v(id: string, comparedTo?: string, extra: Partial<VariantRecord> = {}): VariantRecord {
  return { id, model: id.split('/')[0], method: comparedTo ? 'rtn' : 'none', params: comparedTo ? { bits: 4 } : {}, executionForm: comparedTo ? 'packed' : 'reference', dir: 'x', modelSha256: 'a'.repeat(64), sizeBytes: 1_000_000, ...(comparedTo ? { comparedTo } : {}), ...extra };
}

/** A hand-built run record with exactly the cells, rules and measurements given (enough for the summary's readers). */
export function handRecord(variants: VariantRecord[], suiteIds: string[], cells: CellPlan[], rules: GateRuleResult[] = [], measurements: MeasurementRecord[] = []): RunRecord {
  const all = variants.flatMap((variant) => suiteIds.map((suiteId) => {
    const plan = cells.find((c) => c.variantId === variant.id && c.suiteId === suiteId);
    const { metric, unit, higherIsBetter } = unitOf(suiteId);
    const value = plan ? plan.base + plan.delta : 0.5;
    const aggregate = { metrics: { [metric]: { metric, unit, higherIsBetter, overall: { n: 100, value, low: value - 0.05, high: value + 0.05 }, slices: [], worstCase: null } } };
    const vsBaseline = plan ? { metrics: { [metric]: { delta: { n: 100, baselineMean: plan.base, variantMean: plan.base + plan.delta, delta: plan.delta, low: plan.low, high: plan.high }, flips: null } } } : undefined;
    return { state: 'ok' as const, variantId: variant.id, suiteId, durationMs: 1, aggregate, ...(vsBaseline ? { vsBaseline } : {}) };
  }));
  return {
    schemaVersion: 1, tool: 'compbench', runId: 'hand', createdAt: '2026-01-01T00:00:00.000Z', harness: { version: '0', gitSha: null },
    hardware: { cpuModel: 'x', cpuFlags: [], logicalCores: 1, memoryBytes: 1, os: 'linux', node: 'v20', onnxruntime: '1', executionProvider: 'cpu' },
    config: {}, baseline: variants[0].id, pairing: 'parent', variants, measurements,
    suites: suiteIds.map((id) => ({ id, version: '1', kind: 'generate', hash: 'h', n: 100, metrics: [unitOf(id).metric] })),
    cells: all,
    ...(rules.length > 0 ? { gate: { verdict: rules.some((r) => r.verdict === 'fail') ? 'fail' : 'pass', policySource: 'p', policySha256: 'f'.repeat(64), rules } } : {}),
    complete: true,
  } as unknown as RunRecord;
}

/** A gate rule on a variant (× suite). */
export function rule(variantId: string, verdict: GateRuleResult['verdict'], suiteId?: string): GateRuleResult {
  return { rule: `${suiteId ?? 'latency'}.rule`, kind: 'noninferiority', variantId, ...(suiteId ? { suiteId, metric: 'acc' } : {}), value: 0, bound: 0, verdict, reason: verdict === 'fail' ? 'below the bound' : 'ok' };
}

/** A measured variant: size and decode p50. */
export function measured(variantId: string, sizeBytes: number, p50Ms: number): MeasurementRecord {
  const t = { samples: 1, meanMs: p50Ms, p50Ms, p90Ms: p50Ms, p95Ms: p50Ms, p99Ms: p50Ms };
  return {
    state: 'measured', variantId, sizeBytes, peakRssBytes: 3 * sizeBytes, loadMs: 1, intraOpNumThreads: 1, prefill: { ...t, promptTokens: 1 },
    decode: { ...t, tokens: 1, warmupTokens: 0, tokensPerS: 1000 / p50Ms },
    energy: { provenance: 'estimated', joules: 1, joulesPerToken: 1, tdpWattsPerCore: 1, cpuSeconds: 1, formula: 'f' },
  } as MeasurementRecord;
}
