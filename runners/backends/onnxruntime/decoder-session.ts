import * as ort from 'onnxruntime-node';
import { InputError, messageOf } from '../../../core/errors.js';
import { emptyKvCache, type KvCache } from './kv-cache.js';
import type { ModelFolder } from '../../model/model-folder.js';
import { readModelFile } from '../../formats/onnx/read-model.js';
import { inspectDecoderIo, rowsInteract, type DecoderIo } from './session-io.js';

/** Options of an ONNX Runtime session. */
export interface SessionOptions {
  /** Intra-op threads (default 1: one per worker; an in-thread CLI session may use 2). */
  readonly intraOpNumThreads?: number;
}

/** Logits of one forward pass, and the KV cache it leaves. */
export class ForwardResult {
  constructor(
    /** (batch, seqLen, vocab) */
    readonly logits: Float32Array,
    readonly seqLen: number,
    readonly vocab: number,
    /** Present keys/values with their mask, when the graph has a KV cache. */
    readonly cache: KvCache | undefined,
  ) {}

  /** Offset in `logits` of the distribution after the `j`-th new token of row `row` (rows are right-padded). */
  offset(row: number, j: number): number {
    return (row * this.seqLen + j) * this.vocab;
  }
}

/** Options of {@link DecoderSession.forward}. */
export interface ForwardOptions {
  /**
   * Each row's one token is the row's last cached token, fed again as a query that attends
   * to the past only (its new key/value masked out): its logits then read its own key and
   * value from the cache, as llama.cpp's do. The returned cache is not a continuation.
   */
  readonly requeryLast?: boolean;
}

/** Id under padding positions; they are masked out, so any valid id works. */
const PAD_ID = 0n;

/** An ONNX decoder graph, fed with padded batches of token rows. */
export class DecoderSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Input/output names and checked sizes. */
    readonly io: DecoderIo,
    private readonly folder: ModelFolder,
    /** True when the graph mixes rows (per-tensor activation quantization): a row's logits then depend on its batch mates. */
    readonly rowsInteract: boolean,
  ) {}

  /**
   * Opens `folder.onnxPath`: decodes it first (a corrupt file or an external-data path that
   * leaves the folder is an InputError before onnxruntime sees it), then creates the session.
   */
  static async create(folder: ModelFolder, options: SessionOptions = {}): Promise<DecoderSession> {
    const threads = options.intraOpNumThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new InputError(`options.intraOpNumThreads must be a positive integer (got ${threads})`);
    const mixes = rowsInteract(readModelFile(folder.onnxPath));
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(folder.onnxPath, {
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
    } catch (e) {
      throw new InputError(`${folder.onnxPath} could not be loaded by onnxruntime: ${messageOf(e).slice(0, 300)}`);
    }
    try {
      return new DecoderSession(session, inspectDecoderIo(session, folder), folder, mixes);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** True when the graph takes `past_key_values.*` (incremental decoding). */
  get hasKvCache(): boolean {
    return this.io.pastNames.length > 0;
  }

  /**
   * One forward pass. Rows are right-padded to `width` columns (default: the longest row),
   * so a row's tokens sit in the same columns whatever else is in the batch. Without
   * `past` position ids count from 0; with `past`, row r continues `past` row r: new
   * tokens follow the cached columns (padding included) and their position ids continue
   * the row's count.
   */
  async forward(rows: readonly (readonly number[])[], past?: KvCache, width?: number, options: ForwardOptions = {}): Promise<ForwardResult> {
    const batch = rows.length;
    if (batch === 0) throw new Error('forward: empty batch');
    if (past && past.batch !== batch) throw new Error(`forward: past has ${past.batch} rows, batch has ${batch}`);
    if (past && !this.hasKvCache) throw new Error('forward: this graph has no KV cache');
    const requery = options.requeryLast === true;
    if (requery && (!past || past.length === 0 || rows.some((r) => r.length !== 1))) throw new Error('forward: requeryLast needs a past and one token per row');
    let seqLen = width ?? 0;
    for (const r of rows) {
      if (width !== undefined && r.length > width) throw new Error(`forward: a row of ${r.length} tokens is wider than width ${width}`);
      seqLen = Math.max(seqLen, r.length);
    }
    const pastLen = past?.length ?? 0;
    const totalLen = pastLen + seqLen;
    const ids = new BigInt64Array(batch * seqLen).fill(PAD_ID);
    const positions = new BigInt64Array(batch * seqLen).fill(1n);
    const mask = new Uint8Array(batch * totalLen);
    const realLengths = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      const row = rows[b];
      // requery: the row's last cached token again, at its own position
      const base = past ? past.realLengths[b] - (requery ? 1 : 0) : 0;
      realLengths[b] = base + row.length;
      if (past) mask.set(past.mask.subarray(b * pastLen, (b + 1) * pastLen), b * totalLen);
      for (let j = 0; j < row.length; j++) {
        ids[b * seqLen + j] = BigInt(row[j]);
        positions[b * seqLen + j] = BigInt(base + j);
        mask[b * totalLen + pastLen + j] = requery ? 0 : 1;
      }
    }
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [batch, seqLen]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(mask, (m) => BigInt(m)), [batch, totalLen]),
    };
    if (this.io.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', positions, [batch, seqLen]);
    if (this.io.hasCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', new Uint8Array([pastLen > 0 ? 1 : 0]), [1]);
    const { numKvHeads: heads, headDim, numLayers } = this.folder.config;
    const kv = past ?? (this.hasKvCache ? emptyKvCache(numLayers, batch, heads, headDim) : undefined);
    this.io.pastNames.forEach(([k, v], i) => {
      feeds[k] = new ort.Tensor('float32', kv!.keys[i], [batch, heads, pastLen, headDim]);
      feeds[v] = new ort.Tensor('float32', kv!.values[i], [batch, heads, pastLen, headDim]);
    });
    const out = await this.session.run(feeds);
    const logitsTensor = out.logits as ort.Tensor;
    const vocab = logitsTensor.dims[2];
    let cache: KvCache | undefined;
    if (this.hasKvCache) {
      cache = {
        batch,
        heads,
        length: totalLen,
        headDim,
        keys: this.io.presentNames.map(([k]) => (out[k] as ort.Tensor).data as Float32Array),
        values: this.io.presentNames.map(([, v]) => (out[v] as ort.Tensor).data as Float32Array),
        mask,
        realLengths,
      };
    }
    return new ForwardResult(logitsTensor.data as Float32Array, seqLen, vocab, cache);
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
