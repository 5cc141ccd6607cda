/**
 * An independent computation of distribution agreement for tests: whole-sequence forwards
 * of one row each (no padding, no KV cache, no shared prefixes) straight through
 * onnxruntime-node, a float64 log-softmax of every scored position and the per-token
 * KL / same-top / Δp by a plain loop. Requests are built and tokenized by the harness (the
 * subject here is the distributions, not the tokenizer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { LoglikelihoodRequest } from '../../../core/requests.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { tokenizePairs } from '../../../runners/model/request-tokens.js';
import { planRollingWindows } from '../../../runners/model/rolling-windows.js';
import type { SuiteRequest } from '../../../suites/index.js';

/** Per-token figures of one instance, in request and token order. */
export interface ReferenceTokens {
  readonly kl: number[];
  readonly sameTop: boolean[];
  readonly dp: number[];
}

/** float64 log-softmax of a float32 row. */
export function logSoftmax64(row: Float32Array): Float64Array {
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x);
  let sum = 0;
  for (const x of row) sum += Math.exp(x - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(row, (x) => x - lse);
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
  return best;
}

/** KL(P‖Q), same top and Δp of `target` from two logit rows, by the textbook formulas. */
export function referenceToken(p: Float32Array, q: Float32Array, target: number): { kl: number; sameTop: boolean; dp: number } {
  const lp = logSoftmax64(p);
  const lq = logSoftmax64(q);
  let kl = 0;
  for (let v = 0; v < p.length; v++) kl += Math.exp(lp[v]) * (lp[v] - lq[v]);
  return { kl, sameTop: argmax(p) === argmax(q), dp: Math.exp(lq[target]) - Math.exp(lp[target]) };
}

/** A model folder's scored positions: for each request, the logit row and target of every scored token. */
export class ReferenceModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly folder: ReturnType<typeof loadModelFolder>,
    private readonly layers: number,
    private readonly kvHeads: number,
  ) {}

  /** Opens `onnx/model.onnx` of `dir` (its tokenizer from `tokenizerDir`, default `dir`). */
  static async open(dir: string, tokenizerDir = dir): Promise<ReferenceModel> {
    const cfg = JSON.parse(readFileSync(join(tokenizerDir, 'config.json'), 'utf8')) as { num_hidden_layers: number; num_key_value_heads: number };
    const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
    return new ReferenceModel(session, loadModelFolder(tokenizerDir), cfg.num_hidden_layers, cfg.num_key_value_heads);
  }

  /** Logits [tokens × vocab] of one unpadded row. */
  async forward(ids: readonly number[]): Promise<Float32Array[]> {
    const n = ids.length;
    const int64 = (values: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, n]);
    const feeds: Record<string, ort.Tensor> = { input_ids: int64([...ids]), attention_mask: int64(ids.map(() => 1)), position_ids: int64(ids.map((_, i) => i)) };
    const headDim = this.folder.config.headDim;
    for (const name of this.session.inputNames) {
      if (name.startsWith('past_key_values.')) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, this.kvHeads, 0, headDim]);
    }
    const logits = (await this.session.run(feeds)).logits;
    const vocab = logits.dims[2] as number;
    const data = logits.data as Float32Array;
    return Array.from({ length: n }, (_, j) => data.slice(j * vocab, (j + 1) * vocab));
  }

  /** Every scored position of the requests, in request and token order. */
  async positions(requests: readonly SuiteRequest[], maxLength: number): Promise<{ row: Float32Array; target: number }[]> {
    const out: { row: Float32Array; target: number }[] = [];
    for (const r of requests) {
      if (r.type === 'rolling') {
        const tokens = this.folder.tokenizer.encode(r.request.text);
        for (const w of planRollingWindows(tokens.length, maxLength, maxLength)) {
          const rows = await this.forward(tokens.slice(w.start, w.end));
          const inputs = w.end - w.start;
          for (let j = inputs - w.scored; j < inputs; j++) out.push({ row: rows[j], target: tokens[w.start + j + 1] });
        }
      } else if (r.type === 'loglikelihood') {
        const [pair] = tokenizePairs(this.folder.tokenizer, [r.request as LoglikelihoodRequest], maxLength);
        const rows = await this.forward([...pair.contextIds, ...pair.continuationIds.slice(0, -1)]);
        pair.continuationIds.forEach((t, j) => out.push({ row: rows[pair.contextIds.length - 1 + j], target: t }));
      }
    }
    return out;
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Per-token reference figures of one instance: `base` and `variant` answer the same requests. */
export async function referenceInstance(base: ReferenceModel, variant: ReferenceModel, requests: readonly SuiteRequest[], maxLength: number): Promise<ReferenceTokens> {
  const p = await base.positions(requests, maxLength);
  const q = await variant.positions(requests, maxLength);
  if (p.length !== q.length) throw new Error(`reference: ${p.length} baseline positions vs ${q.length}`);
  const out: ReferenceTokens = { kl: [], sameTop: [], dp: [] };
  p.forEach((pp, i) => {
    const t = referenceToken(pp.row, q[i].row, pp.target);
    out.kl.push(t.kl);
    out.sameTop.push(t.sameTop);
    out.dp.push(t.dp);
  });
  return out;
}
