/**
 * Which cells compute distribution agreement with a baseline, and where the baseline's
 * rows live: every cell of a loglikelihood or rolling suite (kinds multiple_choice, pair,
 * rolling) of a variant compared with another (core/pairing.ts). The baseline's own cells
 * store their rows as they score; the rows are keyed by the baseline's result-cache key
 * and the suite's hash, so a rerun, a resume or another run on the same cache reuses them.
 */
import { join } from 'node:path';
import { AGREEMENT_SUITE_KINDS } from '../../core/run-record.js';
import type { InstanceRecord, LoadedSuite } from '../../suites/index.js';
import type { AgreementTask } from '../agreement/shard-agreement.js';
import { SCORING_VERSION } from './result-cache.js';
import type { PreparedVariant } from './variant-cache.js';

type Ready = Extract<PreparedVariant, { state: 'ready' }>;

/**
 * A variant's key in the result cache: its content hash; for llama.cpp also the ggml CPU
 * library (its scores depend on it, up to 0.06 nats per request on Q4_K_M between zen4 and haswell).
 */
export function resultKey(v: Ready): string {
  const backend = v.record.backend;
  return backend?.backend === 'llama.cpp' ? `${v.hash}-${backend.cpuVariant}` : v.hash;
}

/** The agreement part of each cell's shard tasks (undefined: none). */
export function agreementTaskFor(variants: readonly PreparedVariant[], cacheDir: string): (variant: PreparedVariant, suite: LoadedSuite) => AgreementTask | undefined {
  const byId = new Map(variants.map((v) => [v.record.id, v]));
  const isBaseline = new Set(variants.flatMap((v) => (v.record.comparedTo !== undefined && v.record.comparedTo !== v.record.id ? [v.record.comparedTo] : [])));
  const taskOf = (base: Ready, suite: LoadedSuite, role: AgreementTask['role']): AgreementTask => {
    // the suite is already part of a cached record's address (its result file), and its hash changes with the instance order
    const baselineKey = resultKey(base);
    return { role, baselineId: base.record.id, baselineKey, baselineDir: base.dir, rowsDir: join(cacheDir, 'distributions', `scoring-v${SCORING_VERSION}`, baselineKey, suite.hash) };
  };
  return (variant, suite) => {
    if (variant.state !== 'ready' || !AGREEMENT_SUITE_KINDS.has(suite.spec.kind)) return undefined;
    const parentId = variant.record.comparedTo;
    const parent = parentId === undefined || parentId === variant.record.id ? undefined : byId.get(parentId);
    if (parent?.state === 'ready') return taskOf(parent, suite, 'compare');
    return isBaseline.has(variant.record.id) ? taskOf(variant, suite, 'store') : undefined;
  };
}

/**
 * A cached record as this cell may use it, or undefined (recompute): a comparing cell needs
 * agreement computed against the same baseline rows; any other cell drops an agreement
 * value (two variants with the same content, e.g. a model compared with its own copy,
 * share a cache file).
 */
export function usableCachedRecord(task: AgreementTask | undefined, record: InstanceRecord): InstanceRecord | undefined {
  if (record.state !== 'scored') return record;
  if (task?.role === 'compare') return record.agreement?.state === 'computed' && record.agreement.baselineKey === task.baselineKey ? record : undefined;
  if (record.agreement === undefined) return record;
  const { agreement: _dropped, ...rest } = record;
  return rest;
}
