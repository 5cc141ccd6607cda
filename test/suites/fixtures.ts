import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  GenerateRequest,
  GenerateResponse,
  LoglikelihoodRequest,
  LoglikelihoodResponse,
  ModelAdapter,
  RollingRequest,
  RollingResponse,
} from '../../core/requests.js';

/** A fresh folder under the OS temp dir (outside the repo), for user suites. */
export function tempDir(prefix = 'compbench-suite-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a folder made by {@link tempDir}. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes suite.json (pretty, so line numbers are predictable) and JSONL files into `dir`. */
export function writeUserSuite(
  dir: string,
  spec: Record<string, unknown>,
  files: Record<string, readonly unknown[] | string>,
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'suite.json'), JSON.stringify(spec, null, 2) + '\n');
  for (const [name, rows] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof rows === 'string' ? rows : rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  return dir;
}

/**
 * A tiny deterministic model whose answers are easy to compute by hand:
 * - loglikelihood: −1 (greedy) for a continuation (trimmed) in `favorites`, else −2 − length/10;
 * - rolling: NLL 0.5 per character, tokens = whitespace-separated words, bytes = UTF-8 length;
 * - generate: the reply whose key occurs latest in the prompt (the question, after any
 *   few-shot examples), else "no idea".
 * It records every request it receives.
 */
export class FakeModel implements ModelAdapter {
  readonly name = 'fake';
  readonly seen: { loglikelihood: LoglikelihoodRequest[]; rolling: RollingRequest[]; generate: GenerateRequest[] } = {
    loglikelihood: [],
    rolling: [],
    generate: [],
  };
  constructor(
    private readonly favorites: ReadonlySet<string> = new Set(),
    private readonly replies: Readonly<Record<string, string>> = {},
  ) {}

  async loglikelihood(requests: readonly LoglikelihoodRequest[]): Promise<LoglikelihoodResponse[]> {
    this.seen.loglikelihood.push(...requests);
    return requests.map((r) => {
      const word = r.continuation.trim();
      const fav = this.favorites.has(word);
      return { logprob: fav ? -1 : -2 - r.continuation.length / 10, isGreedy: fav, tokenCount: word.split(/\s+/).length };
    });
  }

  async rolling(requests: readonly RollingRequest[]): Promise<RollingResponse[]> {
    this.seen.rolling.push(...requests);
    return requests.map((r) => ({
      nllSum: 0.5 * r.text.length,
      tokenCount: r.text.split(/\s+/).filter((w) => w !== '').length,
      byteCount: Buffer.byteLength(r.text, 'utf8'),
    }));
  }

  async generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]> {
    this.seen.generate.push(...requests);
    return requests.map((r) => {
      let text = 'no idea';
      let at = -1;
      for (const [key, reply] of Object.entries(this.replies)) {
        const i = r.prompt.lastIndexOf(key);
        if (i > at) [at, text] = [i, reply];
      }
      return { text, promptIds: [1], generatedIds: [2, 3], finishReason: 'stop' as const };
    });
  }
}
