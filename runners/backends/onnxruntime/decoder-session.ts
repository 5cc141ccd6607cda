import * as ort from 'onnxruntime-node';
import { InputError, messageOf } from '../../../core/errors.js';
import { emptyKvCache, type KvCache } from './kv-cache.js';
import type { ModelFolder } from '../../model/model-folder.js';
import type { DecoderConfig } from '../../model/model-config.js';
import { readModelFile } from '../../formats/onnx/read-model.js';
import type { OnnxModel } from '../../formats/onnx/index.js';
import { addLogitPositions, LOGITS_POSITIONS } from '../../graph/logit-positions.js';
import { LOGITS_LSE, LOGITS_MAX } from '../../graph/logit-lse.js';
import { dirname } from 'node:path';
import { inspectDecoderIo, rowsInteract, type DecoderIo } from './session-io.js';
import { TOKEN_MASK } from '../../graph/token-mask.js';
import { checkLinks, packedPositions, tokenMask, type RowLinks } from './packed-rows.js';
import { createEdited, packedRowsAgree } from './edited-session.js';

/** Options of an ONNX Runtime session. */
export interface SessionOptions {
  /** Intra-op threads (default 1: one per worker; an in-thread CLI session may use 2). */
  readonly intraOpNumThreads?: number;
  /**
   * Add the `logits_positions` gather in front of the LM head when the graph allows it, and
   * the `logits_lse` output (default true); false keeps the file's graph, which computes
   * logits everywhere and leaves the log-softmax to JavaScript.
   */
  readonly selectLogits?: boolean;
  /** With the gather, also add the `logits_lse` output (default true; false: log-softmax in JavaScript). */
  readonly logSumExp?: boolean;
  /** With the gather, also add the `token_mask` input (graph/token-mask.ts) when the graph allows it (default true). */
  readonly packRows?: boolean;
}

/** Per row of a forward's `logits` (batch × kept rows), computed by the graph in float64. */
export interface RowNorms {
  /** log Σ exp of the row. */
  readonly lse: Float64Array;
  /** The row's maximum, when the graph gives it (a greedy check then reads one logit). */
  readonly max?: Float64Array;
}

/** Logits of one forward pass, and the KV cache it leaves. */
export class ForwardResult {
  constructor(
    /** (batch, kept, vocab): kept = seqLen unless the forward selected positions */
    readonly logits: Float32Array,
    readonly seqLen: number,
    readonly vocab: number,
    /** Present keys/values with their mask, when the graph has a KV cache. */
    readonly cache: KvCache | undefined,
    /** (batch, seqLen): the column of `logits` that holds each position, −1 where none; undefined when all are kept. */
    private readonly columns?: Int32Array,
    /** Columns per row of `logits` when `columns` is set. */
    private readonly kept = seqLen,
    /** Log Σ exp and maximum of each row of `logits`, when the graph computes them (graph/logit-lse.ts). */
    readonly norm?: RowNorms,
  ) {}

  /**
   * Offset in `logits` of the distribution after the `j`-th new token of row `row` (rows
   * are right-padded). Throws when the forward did not keep that position.
   */
  offset(row: number, j: number): number {
    if (!this.columns) return (row * this.seqLen + j) * this.vocab;
    const column = this.columns[row * this.seqLen + j];
    if (column < 0) throw new Error(`ForwardResult: position ${j} of row ${row} was not among the kept logits positions`);
    return (row * this.kept + column) * this.vocab;
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
  /**
   * Per row, the positions (0-based among the row's new tokens) whose logits will be read.
   * When the graph has a `logits_positions` input only those rows of the LM head are
   * computed; otherwise (or when absent) logits come for every position.
   */
  readonly logitsAt?: readonly (readonly number[])[];
  /**
   * False: the caller needs the logits only, so the present keys and values are not fetched
   * (onnxruntime then does not copy them out to JavaScript) and the result has no cache.
   */
  readonly keepCache?: boolean;
  /**
   * Packed rows (only on a session that {@link DecoderSession.packsRows}): per row, for each
   * new token, the column of the token before it in its own sequence, −1 for a first token
   * (packed-rows.ts). Each token then sees its ancestors and the past only.
   */
  readonly links?: RowLinks;
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
    /** True when the session computes the LM head only at the positions a forward asks for. */
    readonly selectsLogits: boolean,
    /** True when a row may hold a context and several continuations (`links` in {@link ForwardOptions}). */
    readonly packsRows: boolean,
  ) {
    this.logitOutputs = ['logits', ...[LOGITS_LSE, LOGITS_MAX].filter((name) => session.outputNames.includes(name))];
  }

  /** The outputs a forward that keeps no cache fetches: logits, and the graph's normaliser and maxima when it has them. */
  private readonly logitOutputs: readonly string[];

  /**
   * Opens `folder.onnxPath`: decodes it first (a corrupt file or an external-data path that
   * leaves the folder is an InputError before onnxruntime sees it), then creates the session.
   */
  static async create(folder: ModelFolder, options: SessionOptions = {}): Promise<DecoderSession> {
    const threads = options.intraOpNumThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new InputError(`options.intraOpNumThreads must be a positive integer (got ${threads})`);
    const model = readModelFile(folder.onnxPath);
    const mixes = rowsInteract(model);
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    };
    let session: ort.InferenceSession | undefined;
    if (options.selectLogits !== false && addLogitPositions(model)) {
      // the edited graph is loaded from memory; its external data stays next to the file
      const fromMemory = { ...sessionOptions, extra: { session: { model_external_initializers_file_folder_path: dirname(folder.onnxPath) } } };
      const fresh = (): OnnxModel => {
        const again = readModelFile(folder.onnxPath);
        addLogitPositions(again);
        return again;
      };
      session = await createEdited(model, options, (bytes) => ort.InferenceSession.create(bytes, fromMemory).catch(() => undefined), fresh);
    }
    try {
      // without the gather (or when onnxruntime refused every edited graph): the file as it is
      session ??= await ort.InferenceSession.create(folder.onnxPath, sessionOptions);
    } catch (e) {
      throw new InputError(`${folder.onnxPath} could not be loaded by onnxruntime: ${messageOf(e).slice(0, 300)}`);
    }
    let decoder: DecoderSession;
    try {
      decoder = new DecoderSession(session, inspectDecoderIo(session, folder), folder, mixes, session.inputNames.includes(LOGITS_POSITIONS), session.inputNames.includes(TOKEN_MASK));
    } catch (e) {
      await session.release();
      throw e;
    }
    // a graph whose packed rows disagree with plain ones on this CPU is never used packed
    if (decoder.packsRows && !(await packedRowsAgree(decoder))) {
      await decoder.release();
      return DecoderSession.create(folder, { ...options, packRows: false });
    }
    return decoder;
  }

  /** The model's config.json (layers, KV heads, head size: the cache's shape). */
  get config(): DecoderConfig {
    return this.folder.config;
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
    const links = options.links;
    if (links && !this.packsRows) throw new Error('forward: this session does not pack rows');
    if (links) checkLinks(rows, links);
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
        mask[b * totalLen + pastLen + j] = requery ? 0 : 1;
      }
      packedPositions(positions, b * seqLen, row.length, base, links?.[b]);
    }
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [batch, seqLen]),
      attention_mask: new ort.Tensor('int64', int64Mask(mask), [batch, totalLen]),
    };
    if (this.io.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', positions, [batch, seqLen]);
    if (this.packsRows) feeds[TOKEN_MASK] = new ort.Tensor('bool', tokenMask(batch, seqLen, pastLen, rows.map((r) => r.length), links), [batch, seqLen, totalLen]);
    if (this.io.hasCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', new Uint8Array([pastLen > 0 ? 1 : 0]), [1]);
    const { numKvHeads: heads, headDim, numLayers } = this.folder.config;
    const kv = past ?? (this.hasKvCache ? emptyKvCache(numLayers, batch, heads, headDim) : undefined);
    this.io.pastNames.forEach(([k, v], i) => {
      feeds[k] = new ort.Tensor('float32', kv!.keys[i], [batch, heads, pastLen, headDim]);
      feeds[v] = new ort.Tensor('float32', kv!.values[i], [batch, heads, pastLen, headDim]);
    });
    const selection = this.selectsLogits ? logitsSelection(batch, seqLen, options.logitsAt) : undefined;
    if (selection) feeds[LOGITS_POSITIONS] = selection.feed;
    const keep = this.hasKvCache && options.keepCache !== false;
    const out = keep ? await this.session.run(feeds) : await this.session.run(feeds, this.logitOutputs);
    const logitsTensor = out.logits as ort.Tensor;
    const vocab = logitsTensor.dims[2];
    let cache: KvCache | undefined;
    if (keep) {
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
    const lse = out[LOGITS_LSE] as ort.Tensor | undefined;
    const max = out[LOGITS_MAX] as ort.Tensor | undefined;
    const norm = lse ? { lse: lse.data as Float64Array, ...(max ? { max: max.data as Float64Array } : {}) } : undefined;
    return new ForwardResult(logitsTensor.data as Float32Array, seqLen, vocab, cache, selection?.columns, selection?.kept, norm);
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The 0/1 mask as int64, without a BigInt per element (a long past's mask has thousands of them per forward). */
function int64Mask(mask: Uint8Array): BigInt64Array {
  const out = new BigInt64Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[i] = 1n;
  return out;
}

/**
 * The `logits_positions` feed (B,K) for the positions `logitsAt` asks for, every position
 * when it is absent; rows with fewer than K positions repeat their last one (their extra
 * columns are never read), and K is raised by one when B × K would be odd. `columns` maps (row, position) to its column.
 */
function logitsSelection(batch: number, seqLen: number, logitsAt: readonly (readonly number[])[] | undefined): { feed: ort.Tensor; columns: Int32Array; kept: number } {
  const wanted = logitsAt ?? Array.from({ length: batch }, () => Array.from({ length: seqLen }, (_, j) => j));
  if (wanted.length !== batch) throw new Error(`forward: logitsAt has ${wanted.length} rows, batch has ${batch}`);
  const most = Math.max(1, ...wanted.map((p) => p.length));
  // the head's GEMM has batch × kept rows; MLAS's n-bit kernels round an odd last row (or a
  // lone one) differently, so the count is kept even and a row's logits never depend on it
  const kept = (batch * most) % 2 === 1 ? most + 1 : most;
  const positions = new BigInt64Array(batch * kept);
  const columns = new Int32Array(batch * seqLen).fill(-1);
  wanted.forEach((row, b) => {
    for (let k = 0; k < kept; k++) {
      const j = row.length === 0 ? 0 : row[Math.min(k, row.length - 1)];
      if (!Number.isInteger(j) || j < 0 || j >= seqLen) throw new Error(`forward: logits position ${j} is outside 0..${seqLen - 1}`);
      positions[b * kept + k] = BigInt(j);
      if (k < row.length && columns[b * seqLen + j] < 0) columns[b * seqLen + j] = k;
    }
  });
  return { feed: new ort.Tensor('int64', positions, [batch, kept]), columns, kept };
}
