/**
 * The raw onnxruntime baseline of the scoring cases: no harness, one `session.run` per request
 * over its whole context+continuation (batch 1, empty KV cache, logits at every position),
 * then the continuation's log-softmax with compbench's own logProbAt. The token ids are the
 * adapter's own (tokenizePairs), tokenized outside the timed passes.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InfraError } from '../core/errors.js';
import { logProbAt } from '../runners/backends/onnxruntime/log-probs.js';
import type { TokenizedPair } from '../runners/model/request-tokens.js';
import type { Scorer } from './scoring.js';

/** Log p(continuation | context) from logits (1, n, vocab) of context+continuation. */
function continuationLogprob(logits: Float32Array, vocab: number, contextLength: number, continuationIds: readonly number[]): number {
  const argmax = new Int32Array(1);
  let sum = 0;
  // position p predicts token p+1
  for (let j = 0; j < continuationIds.length; j++) sum += logProbAt(logits, (contextLength - 1 + j) * vocab, vocab, continuationIds[j], argmax);
  return sum;
}

/**
 * A {@link Scorer} over `pairs` on the model folder `dir` (its onnx/model.onnx), one intra-op
 * thread. Inputs beyond input_ids, attention_mask, position_ids and past_key_values.* are
 * not supported (an InfraError names them).
 */
export async function rawOrtScores(dir: string, pairs: readonly TokenizedPair[], config: { readonly numKvHeads: number; readonly headDim: number }): Promise<Scorer> {
  const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const known = /^(input_ids|attention_mask|position_ids|past_key_values\.\d+\.(key|value))$/;
  const unknown = session.inputNames.filter((n) => !known.test(n));
  if (unknown.length > 0) {
    await session.release();
    throw new InfraError(`raw onnxruntime scorer: ${dir} has inputs it does not feed: ${unknown.join(', ')}`);
  }
  const pastNames = session.inputNames.filter((n) => n.startsWith('past_key_values.'));
  const emptyPast = new ort.Tensor('float32', new Float32Array(0), [1, config.numKvHeads, 0, config.headDim]);
  const score = async (subset: readonly TokenizedPair[]): Promise<number[]> => {
    const out: number[] = [];
    for (const { contextIds, continuationIds } of subset) {
      const ids = [...contextIds, ...continuationIds];
      const n = ids.length;
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
      };
      if (session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), [1, n]);
      for (const name of pastNames) feeds[name] = emptyPast;
      const result = await session.run(feeds, ['logits']);
      const logits = result.logits;
      out.push(continuationLogprob(logits.data as Float32Array, logits.dims[2], contextIds.length, continuationIds));
    }
    return out;
  };
  await score(pairs.slice(0, 4));
  return { run: () => score(pairs), dispose: () => session.release() };
}
