import { InfraError, messageOf } from '../core/errors.js';
import type { ModelAdapter, TokenObserver } from '../core/requests.js';
import type { InstanceRequests, SuiteRequest, SuiteResponse } from './spec.js';

/**
 * Answers every instance's requests with one batch call per request method (the
 * runner may split batches further). A method that throws an {@link InfraError}, or
 * returns the wrong number of responses, turns each of its requests into a fatal error
 * value; any other failure is retried instance by instance, then request by request within
 * an instance that still fails, so only the requests that fail alone become error values.
 * Failures are recorded and counted, not thrown. Each instance's loglikelihood requests
 * form one group (LoglikelihoodRequest.group): a runner may score them together, so an
 * instance's scores never depend on which other instances share the call.
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
      answers = await callChecked(model, type, batch.map((b) => b.req), seen((i) => batch[i]), batch.map((b) => b.item));
    } catch (e) {
      // One bad request (a prompt longer than the context) must not cost its batch mates:
      // after a non-fatal failure each instance is answered alone, then each request of an
      // instance that still fails, and only those that fail alone become errors. Scores do
      // not depend on other instances, so the rest are unchanged.
      answers = e instanceof InfraError || batch.length === 1
        ? batch.map((): SuiteResponse => ({ type: 'error', error: messageOf(e), isFatal: e instanceof InfraError }))
        : await byInstance(model, type, batch, seen);
    }
    batch.forEach((b, i) => (out[b.item][b.slot] = answers[i]));
  }
  return out;
}

/** {@link TokenObserver} by instance and request slot (see {@link answerRequests}). */
export type InstanceTokenObserver = (item: number, slot: number, position: number, target: number, logits: Float32Array, offset: number, vocab: number) => void;

/** The fallback of {@link answerRequests}: each instance's requests in one call, and one by one where that call fails. */
async function byInstance(model: ModelAdapter, type: SuiteRequest['type'], batch: readonly { item: number; slot: number; req: SuiteRequest }[], seen: (at: (i: number) => { item: number; slot: number }) => TokenObserver | undefined): Promise<SuiteResponse[]> {
  const out = new Array<SuiteResponse>(batch.length);
  // positions in `batch` of each instance's requests, instances in order of first appearance
  const byItem = new Map<number, number[]>();
  batch.forEach((b, k) => {
    const at = byItem.get(b.item);
    if (at) at.push(k);
    else byItem.set(b.item, [k]);
  });
  for (const [item, at] of byItem) {
    const reqs = at.map((k) => batch[k].req);
    let answers: SuiteResponse[];
    try {
      answers = await callChecked(model, type, reqs, seen((i) => batch[at[i]]), at.map(() => item));
    } catch (e) {
      answers = e instanceof InfraError ? reqs.map((): SuiteResponse => ({ type: 'error', error: messageOf(e), isFatal: true })) : await oneByOne(model, type, reqs, (k) => seen(() => batch[at[k]]));
    }
    at.forEach((k, i) => (out[k] = answers[i]));
  }
  return out;
}

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

/** {@link callMethod}, and an {@link InfraError} when the model answers a different number of requests than it was asked. */
async function callChecked(model: ModelAdapter, type: SuiteRequest['type'], reqs: readonly SuiteRequest[], observe: TokenObserver | undefined, items: readonly number[]): Promise<SuiteResponse[]> {
  const answers = await callMethod(model, type, reqs, observe, items);
  if (answers.length !== reqs.length) throw new InfraError(`${model.name}.${type} returned ${answers.length} responses for ${reqs.length} requests`);
  return answers;
}

/** Calls the model; `items` (one per request): loglikelihood requests are grouped by instance. */
async function callMethod(model: ModelAdapter, type: SuiteRequest['type'], reqs: readonly SuiteRequest[], observe?: TokenObserver, items?: readonly number[]): Promise<SuiteResponse[]> {
  switch (type) {
    case 'loglikelihood': {
      const got = await model.loglikelihood(reqs.map((r, i) => (r.type === 'loglikelihood' ? (items ? { ...r.request, group: String(items[i]) } : r.request) : unreachable())), observe);
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
