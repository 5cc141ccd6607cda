import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
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
import { tokenizePairs, tokenizePrompts } from '../../model/request-tokens.js';
import type { LlamaCppBackendInfo } from '../backend-info.js';
import { generateOne } from './generate.js';
import { checkGgufForLlama, loadFailure } from './gguf-check.js';
import { kvCacheSetup, type KvCacheSetup, type KvCacheType } from './kv-cache-type.js';
import { llamaInstance, loadedCpuVariant, nodeLlamaCppVersion, takeLlamaError } from './llama-instance.js';
import { LlamaTokenizer } from './llama-tokenizer.js';
import { scoreLoglikelihood } from './loglikelihood.js';
import { scoreRollingSequence } from './rolling.js';
import { checkTokenizerAgreement } from './tokenizer-check.js';

/** Options of {@link LlamaCppAdapter.load}. */
export interface LlamaCppAdapterOptions {
  /** CPU threads of the context (default 1: workers × threads = cores). */
  readonly threads?: number;
  /** KV cache element type (default `f32`, exact; node-llama-cpp's own default would be f16). */
  readonly kvCacheType?: KvCacheType;
  /** Context window in tokens (default and maximum: the GGUF's context length). */
  readonly maxLength?: number;
  /** New tokens per rolling window after the first (default: maxLength). */
  readonly rollingStride?: number;
}

/** node-llama-cpp's version, from the package.json above its resolved entry (the package does not export that file). */
/**
 * A GGUF model run by llama.cpp (node-llama-cpp, CPU): the {@link ModelAdapter} of the
 * second backend. One context with one sequence; requests run one after another on it.
 */
export class LlamaCppAdapter implements ModelAdapter {
  readonly name: string;
  /** llama.cpp's tokenizer from the GGUF. */
  readonly tokenizer: LlamaTokenizer;
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  private constructor(
    /** Absolute path of the .gguf file. */
    readonly path: string,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    /** The one sequence every request runs on. */
    readonly sequence: LlamaContextSequence,
    /** Effective context window in tokens. */
    readonly maxLength: number,
    private readonly rollingStride: number,
    private readonly info: LlamaCppBackendInfo,
  ) {
    this.tokenizer = new LlamaTokenizer(model);
    this.name = basename(path).replace(/\.gguf$/i, '');
  }

  /** Opens a .gguf file; a bad file, option or tokenizer.json beside it is an InputError naming it. */
  static async load(pathArg: string, options: LlamaCppAdapterOptions = {}): Promise<LlamaCppAdapter> {
    const path = resolve(pathArg);
    if (!existsSync(path) || !statSync(path).isFile()) throw new InputError(`${path}: GGUF file not found; check the model path`);
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new InputError(`options.threads must be an integer ≥ 1 (got ${threads})`);
    const kv = kvCacheSetup(options.kvCacheType ?? 'f32', 'options.kvCacheType');
    const file = checkGgufForLlama(path);
    const llama = await llamaInstance();
    let model: LlamaModel;
    takeLlamaError();
    try {
      model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    } catch (e) {
      throw loadFailure(path, file, takeLlamaError() ?? messageOf(e));
    }
    try {
      const train = model.trainContextSize;
      const maxLength = options.maxLength ?? train;
      if (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > train) {
        throw new InputError(`options.maxLength must be an integer in 2..${train} (the GGUF's context length), got ${maxLength}`);
      }
      const stride = options.rollingStride ?? maxLength;
      if (!Number.isInteger(stride) || stride < 1 || stride > maxLength) throw new InputError(`options.rollingStride must be an integer in 1..${maxLength}, got ${stride}`);
      const tokenizer = new LlamaTokenizer(model);
      checkTokenizerAgreement(dirname(path), path, tokenizer);
      const context = await createContext(model, maxLength, threads, kv, path);
      const info: LlamaCppBackendInfo = {
        backend: 'llama.cpp',
        nodeLlamaCpp: nodeLlamaCppVersion(),
        llamaCppRelease: llama.llamaCppRelease.release,
        buildType: llama.buildType,
        cpuVariant: loadedCpuVariant(),
        kvCache: { key: kv.key, value: kv.value },
        // we never pass 'auto', so this is what llama.cpp was asked to run
        flashAttention: context.flashAttention === true,
        threads,
      };
      return new LlamaCppAdapter(path, model, context, context.getSequence(), maxLength, stride, info);
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  /** The runtime that answers this adapter's requests, as plain data for the run record. */
  backendInfo(): LlamaCppBackendInfo {
    return this.info;
  }

  /** Sum log p(continuation | context); each distinct context is evaluated once. */
  loglikelihood(requests: readonly LoglikelihoodRequest[], observe?: TokenObserver): Promise<LoglikelihoodResponse[]> {
    return this.serial(async () => (requests.length === 0 ? [] : scoreLoglikelihood(this.sequence, tokenizePairs(this.tokenizer, requests, this.maxLength), observe)));
  }

  /** Token NLLs of whole texts (BOS first, never scored), over windows of maxLength tokens. */
  rolling(requests: readonly RollingRequest[], observe?: TokenObserver): Promise<RollingResponse[]> {
    return this.serial(async () => {
      const out: RollingResponse[] = [];
      for (const [i, r] of requests.entries()) {
        const sink = observe && ((position: number, target: number, row: Float32Array): void => observe(i, position, target, row, 0, row.length));
        const s = await scoreRollingSequence(this.sequence, this.tokenizer.encode(r.text), this.maxLength, this.rollingStride, sink);
        out.push({ ...s, byteCount: Buffer.byteLength(r.text, 'utf8') });
      }
      return out;
    });
  }

  /** Greedy generation with stop strings; an empty prompt starts from BOS alone. */
  generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]> {
    return this.serial(async () => {
      const jobs = tokenizePrompts(this.tokenizer, requests, this.maxLength);
      const out: GenerateResponse[] = [];
      for (const job of jobs) out.push({ ...(await generateOne(this.sequence, this.tokenizer, job)), promptIds: job.promptIds });
      return out;
    });
  }

  /** Frees the context and the model (idempotent); the process's llama.cpp instance stays loaded. */
  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue.catch(() => undefined);
    await this.context.dispose();
    await this.model.dispose();
  }

  /** Runs `job` after every earlier request: the one sequence holds one request's tokens at a time. */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    if (this.released) return Promise.reject(new Error(`${this.path}: the llama.cpp adapter was disposed`));
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function createContext(model: LlamaModel, maxLength: number, threads: number, kv: KvCacheSetup, path: string): Promise<LlamaContext> {
  try {
    return await model.createContext({
      // a quantized cache (with flash attention) crashes llama.cpp (SIGSEGV, node-llama-cpp 3.22.1)
      // when one batch fills the context exactly, as a full rolling window does: one spare cell
      contextSize: kv.flashAttention ? maxLength + 1 : maxLength,
      sequences: 1,
      batchSize: Math.min(maxLength, 512),
      threads: { ideal: threads, min: threads },
      flashAttention: kv.flashAttention,
      experimentalKvCacheKeyType: kv.key,
      experimentalKvCacheValueType: kv.value,
    });
  } catch (e) {
    throw new InputError(`${path}: llama.cpp could not create a context with a ${kv.key}/${kv.value} KV cache (${takeLlamaError() ?? messageOf(e)}); choose another runtime.kvCache or options.kvCacheType`);
  }
}
