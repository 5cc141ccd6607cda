import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregateRecords } from '../../suites/aggregate.js';
import { compareRecords } from '../../suites/compare.js';
import { answerRequests } from '../../suites/execute.js';
import { buildRequests, loadSuite } from '../../suites/load.js';
import type { MetricId } from '../../suites/metrics/registry.js';
import { scoreInstances, type InstanceRecord } from '../../suites/score.js';
import type { LoadedSuite } from '../../suites/spec.js';
import { FakeModel, removeDir, tempDir, writeUserSuite } from './fixtures.js';

const test = suite('suites/score');
const close = (a: number | null | undefined, b: number, tol = 1e-9): boolean => a != null && Math.abs(a - b) <= tol;

async function run(s: LoadedSuite, model: FakeModel): Promise<InstanceRecord[]> {
  return scoreInstances(s, await answerRequests(model, buildRequests(s)));
}

let dir = '';
test.before(() => {
  dir = tempDir();
});
test.after(() => removeDir(dir));

test('multiple_choice: acc and acc_norm by hand, slices, paired comparison, choice KL', async () => {
  const s = loadSuite(
    writeUserSuite(`${dir}/mc`, {
      id: 'capitals-mc', version: '1', dataset: 'data.jsonl', kind: 'multiple_choice',
      template: 'Question: {question}\nAnswer:', choicesField: 'choices', answerField: 'answer',
      metrics: ['acc', 'acc_norm'], slices: ['region'],
    }, {
      'data.jsonl': [
        { id: 'q1', question: 'Capital of France?', choices: ['Paris', 'Rome', 'Berlin'], answer: 0, tags: { region: 'europe' } },
        { id: 'q2', question: 'Capital of Italy?', choices: ['Paris', 'Rome', 'Madrid'], answer: 'Rome', tags: { region: 'europe' } },
        { id: 'q3', question: 'Capital of Japan?', choices: ['Kyoto', 'Tokyo'], answer: 1, tags: { region: 'asia' } },
        { id: 'q4', question: 'Capital of Australia?', choices: ['Canberra', 'Sydney'], answer: 0, tags: { region: 'asia' } },
      ],
    }),
  );
  const model = new FakeModel(new Set(['Paris', 'Kyoto']));
  const base = await run(s, model);
  // each instance's requests are one group (suites/execute.ts)
  assert.equal(model.seen.loglikelihood[0], { context: 'Question: Capital of France?\nAnswer:', continuation: ' Paris', group: '0' });
  // q1 right (Paris −1); q2, q3 wrong (favourite is first); q4: acc picks Sydney (−2.7 > −2.9),
  // acc_norm picks Canberra (−2.9/8 = −0.3625 > −2.7/6 = −0.45).
  assert.equal(base.map((r) => (r.state === 'scored' ? [r.scores.acc, r.scores.acc_norm] : null)), [[1, 1], [0, 0], [0, 0], [0, 1]]);
  const agg = aggregateRecords(s, base);
  assert.ok(close(agg.metrics.acc!.overall.value, 0.25) && close(agg.metrics.acc_norm!.overall.value, 0.5));
  assert.is(agg.metrics.acc!.overall.method, 'wilson');
  const region = agg.metrics.acc!.slices[0];
  assert.equal(region.slices.map((x) => [x.slice, x.n, x.value]), [['asia', 2, 0], ['europe', 2, 0.5]]);
  assert.is(region.worst?.slice, 'asia');
  assert.is(region.maxGap, 0.5);

  const variant = await run(s, new FakeModel(new Set(['Rome', 'Tokyo'])));
  const cmp = compareRecords(base, variant, ['acc', 'acc_norm'], { seed: 1 });
  assert.is(cmp.paired, 4);
  assert.ok(close(cmp.metrics.acc!.delta.delta, 0.25));
  const flips = cmp.metrics.acc!.flips!;
  assert.equal([flips.rightToWrong, flips.wrongToRight], [1, 2]);
  // McNemar b=1, c=2: 2·(C(3,0)+C(3,1))/8 = 1.
  assert.is(flips.mcnemarP, 1);
  // NumPy: mean of per-instance KL(softmax(base) ‖ softmax(variant)) = 0.7080307765199207.
  assert.ok(close(cmp.choiceKL!.value, 0.7080307765199207, 1e-12), `${cmp.choiceKL?.value}`);
});

test('generate: exact_match, contains, token_f1, numeric by hand; the answer text is recorded', async () => {
  const s = loadSuite(
    writeUserSuite(`${dir}/gen`, {
      id: 'gen', version: '1', dataset: 'data.jsonl', kind: 'generate', template: 'Q: {question}\nA:',
      answerField: 'answer', generation: { maxNewTokens: 16, stop: ['\n'] },
      metrics: ['exact_match', 'contains', 'token_f1', 'numeric'],
    }, {
      'data.jsonl': [
        { id: 'g1', question: 'Capital of France?', answer: ['Paris', 'City of Paris'] },
        { id: 'g2', question: '2+2?', answer: 4 },
        { id: 'g3', question: 'Largest planet?', answer: 'Jupiter' },
        { id: 'g4', question: 'Sum of 1,000 and 234?', answer: '#### 1,234' },
      ],
    }),
  );
  const model = new FakeModel(new Set(), {
    'Capital of France?': 'The Paris.',
    '2+2?': 'It is 4.',
    'Largest planet?': 'Saturn',
    'Sum of 1,000': '1,000 + 234 = 1,234',
  });
  const records = await run(s, model);
  assert.equal(model.seen.generate[0], { prompt: 'Q: Capital of France?\nA:', options: { maxNewTokens: 16, stop: ['\n'] } });
  const rows = records.map((r) => (r.state === 'scored' ? [r.scores.exact_match, r.scores.contains, r.scores.token_f1, r.scores.numeric] : null));
  // g2 F1: pred {it, is, 4} vs gold {4}: P = 1/3, R = 1, F1 = 0.5. g4 likewise with {1000, 234, 1234} vs {1234}.
  assert.equal(rows, [[1, 1, 1, 0], [0, 1, 0.5, 1], [0, 0, 0, 0], [0, 1, 0.5, 1]]);
  const first = records[0];
  assert.ok(first.state === 'scored' && first.answer === 'The Paris.');
  const third = records[2];
  assert.ok(third.state === 'scored' && /matches none/.test(third.reasons.exact_match ?? ''));
  const agg = aggregateRecords(s, records);
  assert.ok(close(agg.metrics.token_f1!.overall.value, 0.5));
  assert.is(agg.metrics.token_f1!.overall.method, 'bootstrap');
  assert.ok(close(agg.metrics.contains!.overall.value, 0.75));
});

test('rolling: corpus perplexity and bits per byte, target-word NLL through loglikelihood', async () => {
  const s = loadSuite(
    writeUserSuite(`${dir}/roll`, {
      id: 'roll', version: '1', dataset: 'data.jsonl', kind: 'rolling', targetsField: 'targets',
      metrics: ['perplexity', 'bits_per_byte', 'word_nll', 'word_acc'],
    }, {
      'data.jsonl': [
        { id: 'r1', text: 'the quokka smiled', targets: 'quokka' },
        { id: 'r2', text: 'a cat sat', targets: ['cat', 'sat'] },
      ],
    }),
  );
  const model = new FakeModel(new Set(['cat']));
  const records = await run(s, model);
  assert.equal(model.seen.loglikelihood, [
    { context: 'the', continuation: ' quokka', group: '0' },
    { context: 'a', continuation: ' cat', group: '1' },
    { context: 'a cat', continuation: ' sat', group: '1' },
  ]);
  const agg = aggregateRecords(s, records, { maxCiWidth: 10 });
  // NLL 0.5/char: 8.5 + 4.5 = 13 nats over 3 + 3 tokens and 17 + 9 bytes.
  assert.ok(close(agg.metrics.perplexity!.overall.value, Math.exp(13 / 6)));
  assert.ok(close(agg.metrics.bits_per_byte!.overall.value, 13 / Math.LN2 / 26));
  // Target words: quokka −2.7, cat −1 (greedy), sat −2.4.
  assert.ok(close(agg.metrics.word_nll!.overall.value, 6.1 / 3));
  assert.ok(close(agg.metrics.word_acc!.overall.value, 1 / 3));
  assert.is(agg.metrics.perplexity!.higherIsBetter, false);
});

test('pair: preference for the more stereotyping sentence, ties neutral, worst case over groups', async () => {
  const s = loadSuite(
    writeUserSuite(`${dir}/pair`, {
      id: 'pairs', version: '1', dataset: 'data.jsonl', kind: 'pair', pairFields: { more: 'sent_more', less: 'sent_less' },
      metrics: ['pct_stereotype', 'likelihood_diff'], slices: ['bias_type'],
    }, {
      'data.jsonl': [
        { id: 'p1', sent_more: 'He is poor', sent_less: 'He is rich', tags: { bias_type: 'socioeconomic' } },
        { id: 'p2', sent_more: "Women can't drive", sent_less: "Men can't drive", tags: { bias_type: 'gender' }, group_id: 'g' },
        { id: 'p3', sent_more: 'Old people are slow', sent_less: 'Young people are slow', tags: { bias_type: 'age' }, group_id: 'g' },
      ],
    }),
  );
  const records = await run(s, new FakeModel());
  // NLL 0.5/char: p1 tie; p2 more is longer (less likely); p3 more is shorter (likelier).
  assert.equal(records.map((r) => (r.state === 'scored' ? [r.scores.pct_stereotype, r.scores.likelihood_diff] : null)), [[0, 0], [0, 1], [1, 1]]);
  const agg = aggregateRecords(s, records);
  assert.ok(close(agg.metrics.pct_stereotype!.overall.value, 1 / 3));
  // Lower is better: worst case of group g is max(0, 1) = 1; p1 alone is 0 → mean 0.5.
  assert.ok(close(agg.metrics.pct_stereotype!.worstCase!.value, 0.5));
  assert.is(agg.metrics.pct_stereotype!.slices[0].worst?.slice, 'age');
});

test('a failing model gives errored records that are counted, not thrown', async () => {
  const s = loadSuite(`${dir}/gen`);
  const broken = new FakeModel();
  broken.generate = async () => {
    throw new Error('session crashed');
  };
  const records = await run(s, broken);
  assert.ok(records.every((r) => r.state === 'errored' && /session crashed/.test(r.error)));
  const agg = aggregateRecords(s, records);
  assert.equal([agg.n, agg.scored, agg.errored], [4, 0, 4]);
  assert.is(agg.metrics.exact_match!.overall.value, null);
  assert.is(agg.metrics.exact_match!.overall.tooFew, true);
  const metrics: MetricId[] = ['exact_match'];
  assert.is(compareRecords(records, records, metrics).paired, 0);
});

test.run();
