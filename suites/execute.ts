import { InfraError, messageOf } from '../core/errors.js';
import type { ModelAdapter } from '../core/requests.js';
import type { InstanceRequests, SuiteRequest, SuiteResponse } from './spec.js';

/**
 * Answers every instance's requests with one batch call per request method (the
 * runner may split batches further). A method that throws, or returns the wrong number
 * of responses, turns each of its requests into an error value (fatal for an
 * {@link InfraError}), so the failure is recorded and counted, not thrown.
 */
export async function answerRequests(model: ModelAdapter, items: readonly InstanceRequests[]): Promise<SuiteResponse[][]> {
  const flat: { item: number; slot: number; req: SuiteRequest }[] = [];
  items.forEach((it, item) => it.requests.forEach((req, slot) => flat.push({ item, slot, req })));
  const out: SuiteResponse[][] = items.map((it) => new Array<SuiteResponse>(it.requests.length));
  for (const type of ['loglikelihood', 'rolling', 'generate'] as const) {
    const batch = flat.filter((f) => f.req.type === type);
    if (batch.length === 0) continue;
    let answers: SuiteResponse[];
    try {
      answers = await callMethod(model, type, batch.map((b) => b.req));
      if (answers.length !== batch.length) {
        throw new InfraError(`${model.name}.${type} returned ${answers.length} responses for ${batch.length} requests`);
      }
    } catch (e) {
      const failure: SuiteResponse = { type: 'error', error: messageOf(e), isFatal: e instanceof InfraError };
      answers = batch.map(() => failure);
    }
    batch.forEach((b, i) => (out[b.item][b.slot] = answers[i]));
  }
  return out;
}

async function callMethod(model: ModelAdapter, type: SuiteRequest['type'], reqs: SuiteRequest[]): Promise<SuiteResponse[]> {
  switch (type) {
    case 'loglikelihood': {
      const got = await model.loglikelihood(reqs.map((r) => (r.type === 'loglikelihood' ? r.request : unreachable())));
      return got.map((response) => ({ type, response }));
    }
    case 'rolling': {
      const got = await model.rolling(reqs.map((r) => (r.type === 'rolling' ? r.request : unreachable())));
      return got.map((response) => ({ type, response }));
    }
    case 'generate': {
      const got = await model.generate(reqs.map((r) => (r.type === 'generate' ? r.request : unreachable())));
      return got.map((response) => ({ type, response }));
    }
  }
}

function unreachable(): never {
  throw new InfraError('answerRequests: a request was batched under the wrong method');
}
