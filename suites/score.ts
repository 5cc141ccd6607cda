import { REQUEST_KINDS } from './kinds/registry.js';
import { renderTemplate } from './template.js';
import { METRICS, type MetricId } from './metrics/registry.js';
import type { Outcome, ScoreResult } from './metrics/types.js';
import type { Instance, LoadedSuite, SuiteResponse } from './spec.js';

interface RecordBase {
  readonly suiteId: string;
  readonly instanceId: string;
  /** sha256 of the instance record: pairs baseline and variant only when the data match. */
  readonly instanceHash: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly groupId?: string;
  /** The instance's rendered prompt template (few-shot examples left out), for reports' example tables. */
  readonly prompt?: string;
  /** The `templateVariants` id the prompt came from; absent: the suite's primary template. */
  readonly template?: string;
}

/**
 * Agreement of a variant's next-token distributions with its baseline's on one instance,
 * over every scored token of its loglikelihood and rolling requests (runners/agreement/).
 * `not computed` (with the reason) is never read as agreement.
 */
export type InstanceAgreement =
  | {
      readonly state: 'computed';
      /** The variant compared with. */
      readonly baseline: string;
      /** Which baseline (its result-cache key: content hash, and the CPU library for llama.cpp). */
      readonly baselineKey: string;
      /** `exact`, or `top-K lower bound, K=…` for large vocabularies. */
      readonly bound: string;
      readonly tokens: number;
      /** Σ over tokens of KL(P_baseline ‖ Q_variant), nats. */
      readonly klSum: number;
      /** Tokens whose most probable next token is the same for both. */
      readonly sameTop: number;
      /** Σ over tokens of q(reference) − p(reference). */
      readonly dpSum: number;
      /** Per-token Δp in request and token order (rounded to 1e-7). */
      readonly dp: readonly number[];
    }
  | { readonly state: 'not computed'; readonly baseline: string; readonly baselineKey: string; readonly reason: string };

/** An instance the model answered: what it produced and its score per metric. */
export interface ScoredRecord extends RecordBase {
  readonly state: 'scored';
  /** Log-likelihoods, generated text, NLL sums… (plain JSON, tagged by kind). */
  readonly outcome: Outcome;
  /** Score per metric of the suite. */
  readonly scores: Readonly<Partial<Record<MetricId, number>>>;
  /** Why a metric scored as it did, where the scorer said. */
  readonly reasons: Readonly<Partial<Record<MetricId, string>>>;
  /** The model's answer text (generate suites). */
  readonly answer?: string;
  /** Distribution agreement with the baseline (variants compared with one, loglikelihood and rolling suites). */
  readonly agreement?: InstanceAgreement;
}

/** An instance whose requests failed: recorded and counted, not thrown. */
export interface ErroredRecord extends RecordBase {
  readonly state: 'errored';
  readonly error: string;
  /** An infrastructure failure (not a property of this instance). */
  readonly isFatal: boolean;
}

/** One line of a run's instances.jsonl. */
export type InstanceRecord = ScoredRecord | ErroredRecord;

/** The error of an instance whose model output held NaN or ±Inf (never scored: a broken model must not pass). */
export const NON_FINITE_ERROR = 'non-finite logits (NaN or ±Inf) from the model';

/** True when a response carries a non-finite number, or a generation stopped on non-finite logits. */
function nonFinite(r: SuiteResponse): boolean {
  if (r.type === 'error') return false;
  if (r.type === 'generate') return r.response.finishReason === 'non-finite';
  return Object.values(r.response).some((v) => typeof v === 'number' && !Number.isFinite(v));
}

/** Applies one metric's pure scorer to an outcome of the kind it reads. */
export function scoreOutcome(metric: MetricId, outcome: Outcome): ScoreResult {
  const def = METRICS[metric];
  if (def.kind !== outcome.kind) return { score: 0, reason: `metric ${metric} reads ${def.kind}, got ${outcome.kind}` };
  // The kind check above ties the scorer's input type to the outcome's.
  return (def.score as (o: Outcome) => ScoreResult)(outcome);
}

/**
 * Per-instance records from the responses (`responses[i]` answers the requests of
 * `suite.instances[i]`, in order). Failed or malformed responses give errored records.
 */
export function scoreInstances(suite: LoadedSuite, responses: readonly (readonly SuiteResponse[])[]): InstanceRecord[] {
  if (responses.length !== suite.instances.length) {
    throw new RangeError(`scoreInstances: ${responses.length} response lists for ${suite.instances.length} instances`);
  }
  return suite.instances.map((instance, i) => scoreInstance(suite, instance, responses[i]));
}

function scoreInstance(suite: LoadedSuite, instance: Instance, responses: readonly SuiteResponse[]): InstanceRecord {
  const base: RecordBase = {
    suiteId: suite.spec.id,
    instanceId: instance.id,
    instanceHash: instance.hash,
    tags: instance.tags,
    ...(instance.groupId === undefined ? {} : { groupId: instance.groupId }),
    ...(suite.template.length > 0 ? { prompt: renderTemplate(suite.template, instance.fields) } : {}),
    ...(suite.templateId === undefined ? {} : { template: suite.templateId }),
  };
  if (responses.some(nonFinite)) return { ...base, state: 'errored', error: NON_FINITE_ERROR, isFatal: false };
  const outcome = REQUEST_KINDS[suite.spec.kind].readOutcome(suite.spec, instance, responses);
  if (typeof outcome === 'string') {
    const isFatal = responses.some((r) => r.type === 'error' && r.isFatal);
    return { ...base, state: 'errored', error: outcome, isFatal };
  }
  const scores: Partial<Record<MetricId, number>> = {};
  const reasons: Partial<Record<MetricId, string>> = {};
  for (const metric of suite.spec.metrics as readonly MetricId[]) {
    const result = scoreOutcome(metric, outcome);
    scores[metric] = result.score;
    if (result.reason !== undefined) reasons[metric] = result.reason;
  }
  return { ...base, state: 'scored', outcome, scores, reasons, ...(outcome.kind === 'generate' ? { answer: outcome.text } : {}) };
}
