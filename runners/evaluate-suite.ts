import type { ModelAdapter } from '../core/requests.js';
import { aggregateRecords, answerRequests, buildRequests, scoreInstances } from '../suites/index.js';
import type { InstanceRecord, LoadedSuite, SuiteAggregate } from '../suites/index.js';

/** What one model × suite evaluation produced. */
export interface SuiteEvaluation {
  readonly records: InstanceRecord[];
  readonly aggregate: SuiteAggregate;
  readonly durationMs: number;
}

/** Options of {@link evaluateSuite}. */
export interface EvaluateOptions {
  /** Bootstrap seed of the aggregates' intervals. */
  readonly seed?: number;
}

/**
 * Runs a loaded suite on a model: requests → responses → per-instance scores →
 * aggregates with intervals. Failed requests become errored records, not exceptions.
 */
export async function evaluateSuite(model: ModelAdapter, suite: LoadedSuite, options: EvaluateOptions = {}): Promise<SuiteEvaluation> {
  const start = performance.now();
  const responses = await answerRequests(model, buildRequests(suite));
  const records = scoreInstances(suite, responses);
  const aggregate = aggregateRecords(suite, records, { seed: options.seed ?? 0 });
  return { records, aggregate, durationMs: performance.now() - start };
}
