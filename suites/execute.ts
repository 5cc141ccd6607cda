import { InfraError, messageOf } from '../core/errors.js';
import type { ModelAdapter, TokenObserver } from '../core/requests.js';
import type { InstanceRequests, SuiteRequest, SuiteResponse } from './spec.js';

/**
 * Answers every instance's requests with one batch call per request method (the
 * runner may split batches further). A method that throws an {@link InfraError}, or
 * returns the wrong number of responses, turns each of its requests into a fatal error
 * value; any other failure is retried request by request, so only the requests that
 * fail alone become error values. Failures are recorded and counted, not thrown.
 * `observe` sees the logits of every scored token of the loglikelihood and rolling requests,
 * by instance (`item`) and request (`slot`).
 */
export async function answerRequests(model: ModelAdapter, items: readonly InstanceRequests[], observe?: InstanceTokenObserver): Promise<SuiteResponse[][]> {
  const flat: { item: number; slot: number; req: SuiteRequest }[] = [];
  items.forEach((it, item) => it.requests.forEach((req, slot) => flat.push({ item, slot, req })));
  const out: SuiteResponse[][] = items.map((it) => new Array<SuiteResponse>(it.requests.length));
  for (const type of ['loglikelihood', 'rolling', 'generate'] as const) {
    const batch = flat.filter((f) => f.req.type === type);
    if (batch.length === 0) continue;
    let answers: SuiteResponse[];
    const seen = (at: (i: number) => { item: number; slot: number }): TokenObserver | undefined =>
      observe && ((i, position, target, logits, offset, vocab) => {
        const { item, slot } = at(i);
        observe(item, slot, position, target, logits, offset, vocab);
      });
    try {
      answers = await callMethod(model, type, batch.map((b) => b.req), seen((i) => batch[i]));
      if (answers.length !== batch.length) {
        throw new InfraError(`${model.name}.${type} returned ${answers.length} responses for ${batch.length} requests`);
      }
    } catch (e) {
      // One bad request (a prompt longer than the context) must not cost its batch mates:
      // after a non-fatal failure each request is answered alone, and only those that fail
      // alone become errors. Scores do not depend on batching, so the rest are unchanged.
      answers = e instanceof InfraError || batch.length === 1
        ? batch.map((): SuiteResponse => ({ type: 'error', error: messageOf(e), isFatal: e instanceof InfraError }))
        : await oneByOne(model, type, batch.map((b) => b.req), (k) => seen(() => batch[k]));
    }
    batch.forEach((b, i) => (out[b.item][b.slot] = answers[i]));
  }
  return out;
}

/** {@link TokenObserver} by instance and request slot (see {@link answerRequests}). */
export type InstanceTokenObserver = (item: number, slot: number, position: number, target: number, logits: Float32Array, offset: number, vocab: number) => void;

async function oneByOne(model: ModelAdapter, type: SuiteRequest['type'], reqs: readonly SuiteRequest[], observe: (k: number) => TokenObserver | undefined): Promise<SuiteResponse[]> {
  const out: SuiteResponse[] = [];
  for (const [k, req] of reqs.entries()) {
    try {
      const [answer] = await callMethod(model, type, [req], observe(k));
      out.push(answer ?? { type: 'error', error: `${model.name}.${type} returned no response`, isFatal: true });
    } catch (e) {
      out.push({ type: 'error', error: messageOf(e).replace(/^(generate|loglikelihood|rolling) request \d+: /u, ''), isFatal: e instanceof InfraError });
    }
  }
  return out;
}

async function callMethod(model: ModelAdapter, type: SuiteRequest['type'], reqs: SuiteRequest[], observe?: TokenObserver): Promise<SuiteResponse[]> {
  switch (type) {
    case 'loglikelihood': {
      const got = await model.loglikelihood(reqs.map((r) => (r.type === 'loglikelihood' ? r.request : unreachable())), observe);
      return got.map((response) => ({ type, response }));
    }
    case 'rolling': {
      const got = await model.rolling(reqs.map((r) => (r.type === 'rolling' ? r.request : unreachable())), observe);
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
