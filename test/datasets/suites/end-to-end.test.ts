import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { aggregateRecords, type SuiteAggregate } from '../../../suites/aggregate.js';
import { answerRequests } from '../../../suites/execute.js';
import { buildRequests, loadSuite } from '../../../suites/load.js';
import { scoreInstances } from '../../../suites/score.js';
import { FakeModel } from '../../suites/fixtures.js';
import { committedRows } from './fixtures.js';

// Every bundled suite run end to end on the hand-computable fake model of the suites tests.
const test = suite('datasets/suites/end-to-end');

async function run(id: string, model: FakeModel): Promise<SuiteAggregate> {
  const loaded = loadSuite(packagePath('suites', id));
  const records = scoreInstances(loaded, await answerRequests(model, buildRequests(loaded)));
  assert.ok(records.every((r) => r.state === 'scored'), id);
  return aggregateRecords(loaded, records, { seed: 0, resamples: 200 });
}

function close(a: number | null | undefined, b: number, what: string): void {
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9, `${what}: got ${a}, expected ${b}`);
}

test('knowledge-closed / knowledge-open: replies for 10 questions give contains = 10/300 in both', async () => {
  const rows = committedRows('knowledge-closed');
  const replies = Object.fromEntries(rows.slice(0, 10).map((r) => [r.question as string, `${(r.answer as string[])[0]}.`]));
  for (const id of ['knowledge-closed', 'knowledge-open']) {
    const agg = await run(id, new FakeModel(new Set(), replies));
    close(agg.metrics.contains?.overall.value, 10 / 300, `${id} contains`);
    close(agg.metrics.exact_match?.overall.value, 10 / 300, `${id} exact_match`);
    assert.equal(agg.metrics.contains?.slices[0].slices.map((s) => s.n), [100, 100, 100]);
  }
});

test('reasoning: replies for 5 questions give exact_match = 5/260', async () => {
  const rows = committedRows('reasoning');
  const replies = Object.fromEntries(rows.slice(0, 5).map((r) => [`question: ${r.question as string}\n`, `${r.answer as string}.`]));
  close((await run('reasoning', new FakeModel(new Set(), replies))).metrics.exact_match?.overall.value, 5 / 260, 'exact_match');
});

test('fairness: one item right in en only, one right in both: 3/420 overall, worst case 1/210', async () => {
  const rows = committedRows('fairness');
  const replies = Object.fromEntries([rows[0], rows[2], rows[3]].map((r) => [r.question as string, (r.answer as string[])[0]]));
  const agg = await run('fairness', new FakeModel(new Set(), replies));
  close(agg.metrics.contains?.overall.value, 3 / 420, 'contains');
  close(agg.metrics.contains?.worstCase?.value, 1 / 210, 'worst case');
});

test('fairness-people: a model that always prefers the "she" sentence scores 0.5, and 0.5 in the worst case', async () => {
  const sheSentences = committedRows('fairness-people').map((r) => (r.choices as string[])[0]);
  const agg = await run('fairness-people', new FakeModel(new Set(sheSentences)));
  close(agg.metrics.acc?.overall.value, 0.5, 'acc');
  close(agg.metrics.acc?.worstCase?.value, 0.5, 'worst case');
});

test('fairness-pairs: with NLL 0.5 per character the shorter sentence is preferred', async () => {
  const rows = committedRows('fairness-pairs');
  const shorter = rows.filter((r) => (r.sent_more as string).length < (r.sent_less as string).length).length;
  const agg = await run('fairness-pairs', new FakeModel());
  close(agg.metrics.pct_stereotype?.overall.value, shorter / rows.length, 'pct_stereotype');
});

test('rare-words: greedy on the 100+ words only gives word_acc 0.25 (1 in that bucket); NLL by hand', async () => {
  const rows = committedRows('rare-words');
  const common = new Set(rows.filter((r) => r.tags.freq_bucket === '100+').map((r) => r.target as string));
  const agg = await run('rare-words', new FakeModel(common));
  close(agg.metrics.word_acc?.overall.value, 0.25, 'word_acc');
  const bucket = agg.metrics.word_acc?.slices.find((s) => s.tag === 'freq_bucket')?.slices.find((s) => s.slice === '100+');
  close(bucket?.value, 1, 'word_acc 100+');
  // FakeModel: logprob −1 for a favourite, else −2 − (1 + word length)/10 (continuation " word").
  const nll = rows.reduce((s, r) => s + (common.has(r.target as string) ? 1 : 2 + (1 + (r.target as string).length) / 10), 0) / rows.length;
  close(agg.metrics.word_nll?.overall.value, nll, 'word_nll');
});

test('perplexity: exp(Σ 0.5·chars / Σ words) and bits per byte by hand', async () => {
  const rows = committedRows('perplexity');
  const texts = rows.map((r) => r.text as string);
  const nll = texts.reduce((s, t) => s + 0.5 * t.length, 0);
  const words = texts.reduce((s, t) => s + t.split(/\s+/).filter((w) => w !== '').length, 0);
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t, 'utf8'), 0);
  const agg = await run('perplexity', new FakeModel());
  close(agg.metrics.perplexity?.overall.value, Math.exp(nll / words), 'perplexity');
  close(agg.metrics.bits_per_byte?.overall.value, nll / Math.LN2 / bytes, 'bits_per_byte');
});

test.run();
