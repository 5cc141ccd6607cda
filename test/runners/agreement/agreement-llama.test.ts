/**
 * Distribution agreement on llama.cpp (issue 17 item 5): stories260K.gguf as the F32
 * baseline and its Q8_0 quantization (llama.cpp's own quantizer), two models of one run
 * (the second compared with the first), both scored by llama.cpp through the matrix; the
 * recorded per-instance KL, same-top counts and Δp equal a computation from node-llama-cpp's
 * whole logit maps, evaluated here position by position with a float64 log-softmax.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Token } from 'node-llama-cpp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoglikelihoodRequest } from '../../../core/requests.js';
import { LlamaCppAdapter } from '../../../runners/backends/llama-cpp/llama-adapter.js';
import { logitRow } from '../../../runners/backends/llama-cpp/next-token-logits.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { quantizeGguf } from '../../../runners/compress/gguf/quantize-gguf.js';
import { tokenizePairs } from '../../../runners/model/request-tokens.js';
import { planRollingWindows } from '../../../runners/model/rolling-windows.js';
import { storiesDir, tempDir } from '../fixtures.js';
import { recordSchemaProblems, writeConfig, writeTinySuites } from '../matrix/fixtures.js';
import { referenceToken } from './reference.js';
import { buildRequests, limitSuiteForTest, loadSuite, type InstanceAgreement } from './suite-access.js';
import type { SuiteRequest } from '../../../suites/index.js';

const test = suite('runners/agreement (llama.cpp, stories260K)');
const LIMIT = 2;
/** llama.cpp scores from one evaluation per window or continuation, the reference from the same evaluations: float noise only. */
const KL_REL = 1e-5;
const DP_ABS = 1e-6;

/** Every scored position's logit row and target, by evaluating the whole input with all logits (one request at a time). */
async function positions(adapter: LlamaCppAdapter, requests: readonly SuiteRequest[]): Promise<{ row: Float32Array; target: number }[]> {
  const seq = adapter.sequence;
  const evaluate = async (ids: readonly number[]): Promise<Float32Array[]> => {
    await seq.clearHistory();
    const out = await seq.controlledEvaluate(ids.map((id) => [id as Token, { generateNext: { logits: true } }]));
    return ids.map((_, i) => logitRow(out[i]?.next.logits));
  };
  const rows: { row: Float32Array; target: number }[] = [];
  for (const r of requests) {
    if (r.type === 'rolling') {
      const tokens = adapter.tokenizer.encode(r.request.text);
      for (const w of planRollingWindows(tokens.length, adapter.maxLength, adapter.maxLength)) {
        const logits = await evaluate(tokens.slice(w.start, w.end));
        const inputs = w.end - w.start;
        for (let j = inputs - w.scored; j < inputs; j++) rows.push({ row: logits[j], target: tokens[w.start + j + 1] });
      }
    } else if (r.type === 'loglikelihood') {
      const [pair] = tokenizePairs(adapter.tokenizer, [r.request as LoglikelihoodRequest], adapter.maxLength);
      const logits = await evaluate([...pair.contextIds, ...pair.continuationIds.slice(0, -1)]);
      pair.continuationIds.forEach((t, j) => rows.push({ row: logits[pair.contextIds.length - 1 + j], target: t }));
    }
  }
  return rows;
}

test('Q8_0 against F32: KL, same-top and Δp equal the reference from llama.cpp logit maps', async () => {
  const stories = storiesDir('agreement on llama.cpp');
  if (!stories) return;
  const gguf = join(stories, 'source', 'stories260K.gguf');
  if (!existsSync(gguf)) return console.log(`SKIP agreement on llama.cpp: ${gguf} not found`);
  const { ppl, mc } = writeTinySuites(join(stories, '..'));
  const q8File = join(tempDir('q8'), 'stories260K-Q8_0.gguf');
  await quantizeGguf(gguf, 'Q8_0', q8File);
  const config = writeConfig({
    models: [{ id: 'f32', dir: gguf }, { id: 'q8', dir: q8File, compareTo: 'f32' }],
    baseline: 'f32',
    methods: [],
    suites: [ppl, mc],
    seed: 1,
    limit: LIMIT,
    measurement: { enabled: false },
    execution: { workers: 1, shardSize: 1 },
    cacheDir: tempDir('cache'),
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out'), progress: false }, () => {});
  assert.is(r.record.complete, true);
  assert.equal(recordSchemaProblems(r.record), []);
  const q8 = r.record.variants.find((v) => v.id === 'q8')!;
  assert.equal(r.record.variants.map((v) => v.backend?.backend), ['llama.cpp', 'llama.cpp']);
  const lines = readFileSync(join(r.outDir, 'instances.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { variantId: string; suiteId: string; instanceId: string; agreement?: InstanceAgreement });
  const base = await LlamaCppAdapter.load(gguf);
  const variant = await LlamaCppAdapter.load(q8File);
  let checked = 0;
  let klTotal = 0;
  for (const dir of [ppl, mc]) {
    const loaded = limitSuiteForTest(loadSuite(join(dir, 'suite.json')), LIMIT);
    for (const [i, items] of buildRequests(loaded).entries()) {
      const p = await positions(base, items.requests);
      const q = await positions(variant, items.requests);
      const ref = p.map((pp, k) => referenceToken(pp.row, q[k].row, pp.target));
      const got = lines.find((l) => l.variantId === q8.id && l.suiteId === loaded.spec.id && l.instanceId === loaded.instances[i].id)?.agreement;
      assert.ok(got?.state === 'computed', `${loaded.spec.id} ${items.instanceId}: ${JSON.stringify(got)}`);
      if (got?.state !== 'computed') continue;
      const klSum = ref.reduce((a, t) => a + t.kl, 0);
      klTotal += klSum;
      assert.is(got.tokens, ref.length);
      assert.ok(Math.abs(got.klSum - klSum) <= KL_REL * klSum + 1e-12, `${items.instanceId}: KL sum ${got.klSum} vs reference ${klSum}`);
      assert.is(got.sameTop, ref.filter((t) => t.sameTop).length);
      ref.forEach((t, k) => assert.ok(Math.abs(got.dp[k] - t.dp) <= DP_ABS, `${items.instanceId} token ${k}: Δp ${got.dp[k]} vs ${t.dp}`));
      checked++;
    }
  }
  await base.dispose();
  await variant.dispose();
  assert.is(checked, 2 * LIMIT);
  assert.ok(klTotal > 0, 'Q8_0 moves the distributions a little');
  const cell = r.record.cells.find((c) => c.variantId === q8.id && c.suiteId === 'stories-ppl');
  assert.ok(cell?.state === 'ok' && cell.agreement?.state === 'computed' && cell.agreement.bound === 'exact');
});

test.run();
