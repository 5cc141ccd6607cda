/**
 * Issue 15 item 1: multiple-choice loglikelihood throughput with the LM head computed only at
 * scored positions (the `logits_positions` gather) against the full graph, on one model, one
 * intra-op thread, same requests. Runs alternate between the two sessions (the machine is
 * shared and noisy) and medians are reported; transformers.js idiomatic runs between rounds
 * when asked, for the ratio. Usage:
 *   node dist/bench/logit-selection.js MODEL_DIR [QUESTIONS=300] [ROUNDS=5] [--transformers]
 */
import { OnnxDecoderAdapter } from '../runners/backends/onnxruntime/onnx-adapter.js';
import { multipleChoiceRequests } from './mc-requests.js';
import { transformersScores } from './scoring.js';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const [dir, questionsArg = '300', roundsArg = '5'] = args;
if (!dir) throw new Error('usage: logit-selection.js MODEL_DIR [QUESTIONS] [ROUNDS] [--transformers]');
const requests = multipleChoiceRequests(Number(questionsArg));
const modes = [false, true].map(async (selectLogits) => {
  const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1, selectLogits });
  await adapter.loglikelihood(requests.slice(0, 8));
  return { selectLogits, adapter, rates: [] as number[], logprobs: [] as number[] };
});
const [full, kept] = await Promise.all(modes);
const tjs = process.argv.includes('--transformers') ? await transformersScores(dir, requests) : undefined;
const tjsRates: number[] = [];
for (let round = 0; round < Number(roundsArg); round++) {
  for (const m of round % 2 === 0 ? [full, kept] : [kept, full]) {
    const t0 = performance.now();
    m.logprobs = (await m.adapter.loglikelihood(requests)).map((r) => r.logprob);
    m.rates.push(requests.length / ((performance.now() - t0) / 1000));
  }
  if (tjs) {
    const t0 = performance.now();
    await tjs.run();
    tjsRates.push(requests.length / ((performance.now() - t0) / 1000));
  }
}
const maxDiff = Math.max(...full.logprobs.map((l, i) => Math.abs(l - kept.logprobs[i])));
console.log(
  JSON.stringify({
    model: dir,
    requests: requests.length,
    rounds: Number(roundsArg),
    gatherInGraph: kept.adapter.session.selectsLogits,
    fullGraphRequestsPerS: median(full.rates),
    selectedLogitsRequestsPerS: median(kept.rates),
    speedup: median(kept.rates) / median(full.rates),
    ...(tjs ? { transformersJsRequestsPerS: median(tjsRates), selectedVsTransformersJs: median(kept.rates) / median(tjsRates), fullVsTransformersJs: median(full.rates) / median(tjsRates) } : {}),
    maxAbsLogprobDiff: maxDiff,
    rates: { full: full.rates.map((r) => +r.toFixed(1)), selected: kept.rates.map((r) => +r.toFixed(1)), transformersJs: tjsRates.map((r) => +r.toFixed(1)) },
  }),
);
await Promise.all([full.adapter.dispose(), kept.adapter.dispose(), tjs?.dispose()]);
