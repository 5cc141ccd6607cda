/**
 * Item 1: loglikelihood throughput on the bundled teacher, one intra-op thread each —
 * compbench's default path (prefix tree, each question's choices in packed rows: the path
 * the matrix's workers take), the same adapter one full forward per request
 * (batch 1), and transformers.js (a forward over context+continuation per request, summing
 * the continuation's log-softmax). Same requests; requests/s (fastest of
 * {@link SCORING_REPEATS} passes) and the log-prob agreement.
 */
import { basename, dirname } from 'node:path';
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import type { LoglikelihoodRequest } from '../core/requests.js';
import { OnnxDecoderAdapter } from '../runners/backends/onnxruntime/onnx-adapter.js';
import { tokenizePairs } from '../runners/model/request-tokens.js';

/** One scorer's figures. */
export interface ScorerResult {
  readonly name: string;
  readonly requests: number;
  readonly durationS: number;
  readonly requestsPerS: number;
  /** Largest |Δ logprob| against the compbench default path's answers (nats). */
  readonly maxAbsLogprobDiff: number;
}

/** Timed passes per scorer; the fastest counts (the others absorb noise from other load). */
export const SCORING_REPEATS = 3;

/** A scorer that can run the whole request set repeatedly, then be released. */
export interface Scorer {
  run(): Promise<number[]>;
  dispose(): Promise<void>;
}

async function timed(name: string, requests: readonly LoglikelihoodRequest[], scorer: Scorer, reference?: readonly number[]): Promise<{ result: ScorerResult; logprobs: number[] }> {
  let durationS = Infinity;
  let logprobs: number[] = [];
  try {
    for (let k = 0; k < SCORING_REPEATS; k++) {
      const t0 = performance.now();
      logprobs = await scorer.run();
      durationS = Math.min(durationS, (performance.now() - t0) / 1000);
    }
  } finally {
    await scorer.dispose();
  }
  const maxAbsLogprobDiff = reference ? Math.max(...logprobs.map((l, i) => Math.abs(l - reference[i]))) : 0;
  return { result: { name, requests: requests.length, durationS, requestsPerS: requests.length / durationS, maxAbsLogprobDiff }, logprobs };
}

async function adapterScores(dir: string, requests: readonly LoglikelihoodRequest[], path: 'prefix-tree' | 'full-forward'): Promise<Scorer> {
  const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1, loglikelihoodPath: path });
  // warm-up outside the timed region, as for every scorer
  await adapter.loglikelihood(requests.slice(0, 4));
  return {
    async run() {
      if (path === 'prefix-tree') return (await adapter.loglikelihood(requests)).map((r) => r.logprob);
      const out: number[] = [];
      for (const r of requests) out.push((await adapter.loglikelihood([r]))[0].logprob);
      return out;
    },
    dispose: () => adapter.dispose(),
  };
}

/** transformers.js idiomatic scoring: one forward over context+continuation per request. */
export async function transformersScores(dir: string, requests: readonly LoglikelihoodRequest[]): Promise<Scorer> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(dir);
  const model = await AutoModelForCausalLM.from_pretrained(basename(dir), { local_files_only: true, dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1 });
  const tokenizer = adapter.folder.tokenizer;
  const maxLength = adapter.maxLength;
  await adapter.dispose();
  const score = async (batch: readonly LoglikelihoodRequest[]): Promise<number[]> => {
    // the same token ids as ours (tokenizing is part of the timed work on both sides)
    const pairs = tokenizePairs(tokenizer, batch, maxLength);
    const out: number[] = [];
    for (const { contextIds, continuationIds } of pairs) {
      const ids = [...contextIds, ...continuationIds];
      const n = ids.length;
      const logits = (await model({
        input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
        attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      })).logits as Tensor;
      const data = logits.data as Float32Array;
      const vocab = logits.dims[2];
      let sum = 0;
      for (let j = 0; j < continuationIds.length; j++) {
        // logits (1, n, vocab): position p predicts token p+1
        const row = (contextIds.length - 1 + j) * vocab;
        let max = -Infinity;
        for (let v = 0; v < vocab; v++) max = Math.max(max, data[row + v]);
        let z = 0;
        for (let v = 0; v < vocab; v++) z += Math.exp(data[row + v] - max);
        sum += data[row + continuationIds[j]] - max - Math.log(z);
      }
      out.push(sum);
    }
    return out;
  };
  await score(requests.slice(0, 4));
  return { run: () => score(requests), dispose: async () => void (await model.dispose()) };
}

/** Scores `requests` three ways on the model in `dir`; the first result is the reference. */
export async function scoringBenchmark(dir: string, requests: readonly LoglikelihoodRequest[]): Promise<ScorerResult[]> {
  const shared = await timed('compbench default path (prefix tree, packed rows)', requests, await adapterScores(dir, requests, 'prefix-tree'));
  const naive = await timed('compbench full-forward, batch 1', requests, await adapterScores(dir, requests, 'full-forward'), shared.logprobs);
  const tjs = await timed('transformers.js forward per request', requests, await transformersScores(dir, requests), shared.logprobs);
  return [shared.result, naive.result, tjs.result];
}
