/**
 * Scoring a batch of a shard with distribution agreement (llama.cpp perplexity's
 * `--kl-divergence`), inside the worker. The baseline's own shards store their rows while
 * they score; a variant's shard reads the rows of its instances (computing and storing the
 * missing ones with the baseline's model, so no shard waits on another) and compares
 * every scored token of its own scoring forwards with them.
 */
import type { ModelAdapter } from '../../core/requests.js';
import { messageOf } from '../../core/errors.js';
import { answerRequests, buildRequests, scoreInstances, type InstanceAgreement, type InstanceRecord, type InstanceRequests, type LoadedSuite, type SuiteResponse } from '../../suites/index.js';
import { BaselineCollector, readRows, rowsFile, writeRows, type BaselineRows } from './baseline-rows.js';
import { VariantAgreement } from './variant-agreement.js';

/** What a shard task says about agreement (plain JSON: it crosses the worker boundary). */
export interface AgreementTask {
  /** `store`: this is the baseline's own cell, keep its rows; `compare`: a variant's, compare with them. */
  readonly role: 'store' | 'compare';
  /** The baseline's variant id (recorded on every value). */
  readonly baselineId: string;
  /** The baseline's result key (recorded: a cached value is reused only against the same baseline). */
  readonly baselineKey: string;
  /** The baseline's model folder or .gguf (opened only when rows are missing). */
  readonly baselineDir: string;
  /** Content-addressed folder of the rows: baseline × suite (see runners/matrix/agreement-plan.ts). */
  readonly rowsDir: string;
}

/** Scores `part` on `model`, with agreement values on its records as `task` asks. */
export async function scoreWithAgreement(
  model: ModelAdapter,
  part: LoadedSuite,
  task: AgreementTask,
  openBaseline: () => Promise<ModelAdapter>,
): Promise<InstanceRecord[]> {
  const items = buildRequests(part);
  if (task.role === 'store') {
    const collectors = items.map(() => new BaselineCollector());
    const responses = await answerRequests(model, items, (item, ...rest) => collectors[item].observe(...rest));
    const records = scoreInstances(part, responses);
    records.forEach((r, i) => {
      const rows = r.state === 'scored' ? collectors[i].finish(items[i].requests.length) : undefined;
      if (rows && typeof rows !== 'string') writeRows(rowsFile(task.rowsDir, r.instanceHash), rows);
    });
    return records;
  }
  const rows = await baselineRows(part, items, task, openBaseline);
  const acc = rows.map((r) => (typeof r === 'string' ? undefined : new VariantAgreement(r, task.baselineId, task.baselineKey)));
  const responses = await answerRequests(model, items, (item, ...rest) => acc[item]?.observe(...rest));
  return scoreInstances(part, responses).map((r, i) => {
    if (r.state !== 'scored') return r;
    const row = rows[i];
    const agreement: InstanceAgreement = typeof row === 'string' ? { state: 'not computed', baseline: task.baselineId, baselineKey: task.baselineKey, reason: row } : acc[i]!.finish();
    return { ...r, agreement };
  });
}

/** Each instance's baseline rows: read from the store, else computed now (and stored); a string says why there are none. */
async function baselineRows(
  part: LoadedSuite,
  items: readonly InstanceRequests[],
  task: AgreementTask,
  openBaseline: () => Promise<ModelAdapter>,
): Promise<(BaselineRows | string)[]> {
  const out: (BaselineRows | string | undefined)[] = part.instances.map((inst) => readRows(rowsFile(task.rowsDir, inst.hash)));
  const missing = out.flatMap((r, i) => (r === undefined ? [i] : []));
  if (missing.length === 0) return out as (BaselineRows | string)[];
  let baseline: ModelAdapter;
  try {
    baseline = await openBaseline();
  } catch (e) {
    return out.map((r) => r ?? `the baseline ${task.baselineId} could not be opened: ${messageOf(e)}`);
  }
  const collectors = missing.map(() => new BaselineCollector());
  const responses = await answerRequests(baseline, missing.map((i) => items[i]), (k, ...rest) => collectors[k].observe(...rest));
  missing.forEach((i, k) => {
    const failed = responses[k].find((r): r is Extract<SuiteResponse, { type: 'error' }> => r.type === 'error');
    const rows = failed ? `the baseline could not score this instance: ${failed.error}` : nonFinite(responses[k]) ?? collectors[k].finish(items[i].requests.length);
    if (typeof rows !== 'string') writeRows(rowsFile(task.rowsDir, part.instances[i].hash), rows);
    out[i] = rows;
  });
  return out as (BaselineRows | string)[];
}

function nonFinite(responses: readonly SuiteResponse[]): string | undefined {
  const bad = responses.some((r) => r.type !== 'error' && Object.values(r.response).some((v) => typeof v === 'number' && !Number.isFinite(v)));
  return bad ? "the baseline's logits were not finite on this instance" : undefined;
}
