import type {
  FinishReason,
  GenerateRequest,
  GenerateResponse,
  LoglikelihoodRequest,
  LoglikelihoodResponse,
  ModelAdapter,
  RollingRequest,
  RollingResponse,
} from '../core/requests.js';
import { argmaxAt, logProbAt } from './backends/onnxruntime/log-probs.js';

const BOS = 256;
const EOS = 257;
const VOCAB = 258;

/** 32-bit mix of four integers (murmur3 finaliser); deterministic across platforms. */
function mix(a: number, b: number, c: number, d: number): number {
  let h = (a * 0x9e3779b1) ^ (b * 0x85ebca6b) ^ (c * 0xc2b2ae35) ^ (d * 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A weightless, deterministic stand-in model for pipeline tests: byte-level tokens
 * (UTF-8 bytes, then BOS 256 and EOS 257), logits a hash of the seed and the two previous
 * tokens, with printable ASCII favoured so generations are readable-ish. Same requests,
 * same answers, in microseconds.
 */
export class FakeModelAdapter implements ModelAdapter {
  readonly name: string;
  private readonly logits = new Float32Array(VOCAB);
  private readonly argmax = new Int32Array(1);

  /** @param seed changes every score; two seeds make two "different models". */
  constructor(private readonly seed = 0) {
    this.name = `fake-${seed}`;
  }

  /** logits (VOCAB,) of the next token after (..., prev2, prev1). */
  private logitsAfter(prev2: number, prev1: number): Float32Array {
    for (let v = 0; v < VOCAB; v++) {
      const u = mix(this.seed + 1, prev2 + 1, prev1 + 1, v + 1) / 0xffffffff; // [0, 1]
      const printable = v >= 32 && v < 127 ? 2 : 0;
      this.logits[v] = 4 * u - 2 + printable - (v === EOS ? 3 : 0);
    }
    return this.logits;
  }

  private encode(text: string): number[] {
    return [BOS, ...Buffer.from(text, 'utf8')];
  }

  /** Sum of log p(tokens[from..]) | previous tokens, and whether each was the argmax. */
  private score(tokens: readonly number[], from: number): { logprob: number; greedy: boolean } {
    let logprob = 0;
    let greedy = true;
    for (let i = Math.max(1, from); i < tokens.length; i++) {
      const l = this.logitsAfter(i >= 2 ? tokens[i - 2] : BOS, tokens[i - 1]);
      logprob += logProbAt(l, 0, VOCAB, tokens[i], this.argmax);
      if (this.argmax[0] !== tokens[i]) greedy = false;
    }
    return { logprob, greedy };
  }

  /** Scores continuation bytes after BOS + context bytes. */
  async loglikelihood(requests: readonly LoglikelihoodRequest[]): Promise<LoglikelihoodResponse[]> {
    return requests.map((r) => {
      const ctx = this.encode(r.context);
      const whole = [...ctx, ...Buffer.from(r.continuation, 'utf8')];
      const { logprob, greedy } = this.score(whole, ctx.length);
      return { logprob, isGreedy: greedy, tokenCount: whole.length - ctx.length };
    });
  }

  /** Scores every byte of each text after BOS. */
  async rolling(requests: readonly RollingRequest[]): Promise<RollingResponse[]> {
    return requests.map((r) => {
      const tokens = this.encode(r.text);
      return { nllSum: -this.score(tokens, 1).logprob, tokenCount: tokens.length - 1, byteCount: tokens.length - 1 };
    });
  }

  /** Greedy bytes until EOS, a stop string or maxNewTokens. */
  async generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]> {
    const decoder = new TextDecoder();
    return requests.map((r) => {
      const promptIds = this.encode(r.prompt);
      const tokens = [...promptIds];
      const generatedIds: number[] = [];
      const stop = r.options.stop ?? [];
      let finishReason: FinishReason = 'length';
      let text = '';
      while (generatedIds.length < r.options.maxNewTokens) {
        const n = tokens.length;
        const next = argmaxAt(this.logitsAfter(n >= 2 ? tokens[n - 2] : BOS, tokens[n - 1]), 0, VOCAB);
        tokens.push(next);
        generatedIds.push(next);
        if (next === EOS) {
          finishReason = 'eos';
          break;
        }
        text = decoder.decode(Uint8Array.from(generatedIds.filter((t) => t < 256)));
        const at = Math.min(...stop.map((s) => (s === '' ? -1 : text.indexOf(s))).filter((i) => i >= 0));
        if (Number.isFinite(at)) {
          text = text.slice(0, at);
          finishReason = 'stop';
          break;
        }
      }
      return { text, promptIds, generatedIds, finishReason };
    });
  }
}
