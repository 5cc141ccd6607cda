import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, messageOf } from '../../../core/errors.js';
import type {
  GenerateRequest,
  GenerateResponse,
  LoglikelihoodRequest,
  LoglikelihoodResponse,
  ModelAdapter,
  RollingRequest,
  RollingResponse,
  TokenObserver,
} from '../../../core/requests.js';
import { checkBatchLimits, DEFAULT_BATCH_LIMITS, rowPlan, type BatchLimits, type RowPlan } from './batching.js';
import { DecoderSession } from './decoder-session.js';
import { generateGreedy } from './generate.js';
import { scoreFullForward } from './loglikelihood.js';
import { DEFAULT_PREFIX_TREE_BYTES, scorePrefixTree, scoreSharedPrefix } from './prefix-tree-scorer.js';
import { loadModelFolder, type ModelFolder } from '../../model/model-folder.js';
import { tokenizePairs, tokenizePrompts } from '../../model/request-tokens.js';
import { scoreRolling } from './rolling.js';
import { generateIncremental, rollingIncremental, scoreIncremental } from './incremental-requests.js';
import { resolveKvCache, type KvCacheInfo, type KvCacheOption } from './kv-quantizer.js';

/** Options of {@link OnnxDecoderAdapter.load}. */
export interface OnnxAdapterOptions {
  /** ORT intra-op threads (default 1). */
  readonly intraOpNumThreads?: number;
  /** Forward-pass size limits (default {@link DEFAULT_BATCH_LIMITS}). */
  readonly batch?: BatchLimits;
  /** Context window in tokens (default and maximum: config.json max_position_embeddings). */
  readonly maxLength?: number;
  /** New tokens per rolling window after the first (default: maxLength, as lm-evaluation-harness). */
  readonly rollingStride?: number;
  /**
   * `prefix-tree` (default with a KV cache: contexts share every common prefix, cut on a fixed
   * grid, docs/prefix-tree.md), `shared-prefix` (each distinct context prefilled whole) or
   * `full-forward` (one row per request; the path without a KV cache). A graph whose rows
   * interact runs `prefix-tree` as `shared-prefix`.
   */
  readonly loglikelihoodPath?: LoglikelihoodPath;
  /** Bound on the prefix-tree node caches held at once, in bytes (default {@link DEFAULT_PREFIX_TREE_BYTES}). */
  readonly prefixTreeBytes?: number;
  /**
   * Simulated KV-cache quantization: every request is then scored by incremental decoding
   * through the quantized cache (incremental.ts). Absent: the folder's compression.json
   * `runtime.kvCache`, if any; null: none, whatever the folder says.
   */
  readonly kvCache?: KvCacheOption | null;
  /** Compute the LM head only at scored positions when the graph allows it (default true; false: the full graph, as a reference). */
  readonly selectLogits?: boolean;
  /** With selectLogits, the log-softmax normaliser comes from the graph (default true; false: computed in JavaScript). */
  readonly logSumExp?: boolean;
}

/** How loglikelihood requests are computed (see {@link OnnxAdapterOptions.loglikelihoodPath}). */
export type LoglikelihoodPath = 'prefix-tree' | 'shared-prefix' | 'full-forward';

/** What an adapter runs with, beyond its weights (recorded beside its results). */
export interface OnnxAdapterInfo {
  /** The simulated KV-cache quantization, or null for the plain fp32 cache and paths. */
  readonly kvCache: KvCacheInfo | null;
}

/** compression.json's `runtime.kvCache` of `dir`, or undefined. */
function folderKvCache(dir: string): { value: unknown; where: string } | undefined {
  const file = join(dir, 'compression.json');
  if (!existsSync(file)) return undefined;
  let record: { runtime?: { kvCache?: unknown } };
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as typeof record;
  } catch (e) {
    throw new InputError(`${file} is not valid JSON (${messageOf(e)}); rebuild the variant`);
  }
  const value = record.runtime?.kvCache;
  return value === undefined ? undefined : { value, where: `${file}: runtime.kvCache` };
}

/** A model folder run by onnxruntime: the {@link ModelAdapter} for real models. */
export class OnnxDecoderAdapter implements ModelAdapter {
  readonly name: string;
  private released = false;

  private constructor(
    /** The opened folder (config, tokenizer, paths). */
    readonly folder: ModelFolder,
    /** The ORT session. */
    readonly session: DecoderSession,
    /** Effective context window in tokens. */
    readonly maxLength: number,
    private readonly rollingStride: number,
    private readonly plan: RowPlan,
    private readonly path: LoglikelihoodPath,
    private readonly prefixTreeBytes: number,
    /** Settings beyond the weights (the KV-cache form). */
    readonly info: OnnxAdapterInfo,
  ) {
    this.name = basename(folder.dir);
  }

  /**
   * How this adapter batches: `rows` when forwards hold many rows of one padded width, `one-row`
   * when the graph mixes rows (per-tensor activation quantization) and each forward holds one.
   * Either way a request's answer does not depend on the other requests (batch invariance).
   */
  get batching(): 'rows' | 'one-row' {
    return this.plan.alone ? 'one-row' : 'rows';
  }

  /** Opens a model folder; every problem with the folder or the options is an InputError. */
  static async load(dir: string, options: OnnxAdapterOptions = {}): Promise<OnnxDecoderAdapter> {
    const limits = options.batch ?? DEFAULT_BATCH_LIMITS;
    checkBatchLimits(limits);
    const folder = loadModelFolder(dir);
    const maxLength = options.maxLength ?? folder.config.maxPositions;
    if (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > folder.config.maxPositions) {
      throw new InputError(`options.maxLength must be an integer in 2..${folder.config.maxPositions} (max_position_embeddings), got ${maxLength}`);
    }
    const stride = options.rollingStride ?? maxLength;
    if (!Number.isInteger(stride) || stride < 1 || stride > maxLength) throw new InputError(`options.rollingStride must be an integer in 1..${maxLength}, got ${stride}`);
    const fromFolder = options.kvCache === undefined ? folderKvCache(folder.dir) : undefined;
    const kvOption = options.kvCache === undefined ? fromFolder : options.kvCache === null ? undefined : { value: options.kvCache, where: 'options.kvCache' };
    const kvCache = kvOption ? resolveKvCache(kvOption.value, folder.config.headDim, kvOption.where) : null;
    const session = await DecoderSession.create(folder, { intraOpNumThreads: options.intraOpNumThreads, selectLogits: options.selectLogits, logSumExp: options.logSumExp });
    if (kvCache && !session.hasKvCache) {
      await session.release();
      throw new InputError(`${kvOption!.where} needs a KV cache, and ${folder.onnxPath} has no past_key_values inputs; drop the kvCache setting`);
    }
    const path = options.loglikelihoodPath ?? (session.hasKvCache ? 'prefix-tree' : 'full-forward');
    const problem = !['prefix-tree', 'shared-prefix', 'full-forward'].includes(path)
      ? `options.loglikelihoodPath must be 'prefix-tree', 'shared-prefix' or 'full-forward' (got ${JSON.stringify(path)})`
      : path !== 'full-forward' && !session.hasKvCache
        ? `options.loglikelihoodPath '${path}' needs a KV cache, and ${folder.onnxPath} has no past_key_values inputs`
        : undefined;
    const treeBytes = options.prefixTreeBytes ?? DEFAULT_PREFIX_TREE_BYTES;
    if (problem || !Number.isInteger(treeBytes) || treeBytes < 1) {
      await session.release();
      throw new InputError(problem ?? `options.prefixTreeBytes must be a positive integer (got ${treeBytes})`);
    }
    const plan = rowPlan(limits, session.rowsInteract, folder.config.maxPositions);
    return new OnnxDecoderAdapter(folder, session, maxLength, stride, plan, path, treeBytes, { kvCache });
  }

  /** Sum log p(continuation | context), batched; shared contexts are computed once. */
  async loglikelihood(requests: readonly LoglikelihoodRequest[], observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
    if (requests.length === 0) return [];
    const pairs = tokenizePairs(this.folder.tokenizer, requests, this.maxLength);
    if (this.info.kvCache) return scoreIncremental(this.session, pairs, this.info.kvCache, this.plan, observe);
    if (this.path === 'full-forward') return scoreFullForward(this.session, pairs, this.plan, observe);
    if (this.path === 'shared-prefix') return scoreSharedPrefix(this.session, pairs, this.plan, observe, this.prefixTreeBytes);
    return scorePrefixTree(this.session, pairs, this.plan, { budgetBytes: this.prefixTreeBytes, observe, groups: requests.map((r) => r.group) });
  }

  /** Token NLLs of whole texts (BOS first, never scored), over windows of maxLength tokens. */
  async rolling(requests: readonly RollingRequest[], observe?: TokenObserver): Promise<RollingResponse[]> {
    if (requests.length === 0) return [];
    const sequences = requests.map((r) => this.folder.tokenizer.encode(r.text));
    const kv = this.info.kvCache;
    const { nllSum, tokenCount } = kv
      ? await rollingIncremental(this.session, sequences, this.maxLength, this.rollingStride, kv, this.plan, observe)
      : await scoreRolling(this.session, sequences, this.maxLength, this.rollingStride, this.plan, observe);
    return requests.map((r, i) => ({ nllSum: nllSum[i], tokenCount: tokenCount[i], byteCount: Buffer.byteLength(r.text, 'utf8') }));
  }

  /** Greedy generation with stop strings; an empty prompt starts from BOS alone. */
  async generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]> {
    if (requests.length === 0) return [];
    const jobs = tokenizePrompts(this.folder.tokenizer, requests, this.maxLength);
    const { tokenizer, config } = this.folder;
    const kv = this.info.kvCache;
    const results = kv
      ? await generateIncremental(this.session, tokenizer, jobs, config.eosTokenIds, kv, this.plan)
      : await generateGreedy(this.session, tokenizer, jobs, config.eosTokenIds, this.plan);
    return results.map((r, i) => ({ text: r.text, promptIds: jobs[i].promptIds, generatedIds: r.generatedIds, finishReason: r.finishReason }));
  }

  /** Releases the ORT session (idempotent). */
  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
