/**
 * Issue 15 item 2: the prefix tree against the shared-context scorer (each distinct context
 * prefilled whole: the path before the tree) on one model, one intra-op thread, same
 * requests, runs alternating, medians reported. Two cases:
 * - `5-shot`: five knowledge-closed facts with their answers as a shared header, then each
 *   question with 4 choices (the header is the same for every instance);
 * - `unshared`: distinct TinyStories passages about as long as a 5-shot context, with 4
 *   continuations each: nothing to share, so it shows what cutting long contexts costs.
 * Reports tokens fed to the model (input_ids elements, padding included), session.run()
 * calls and seconds inside them, wall time, and the largest score difference. With
 * `--gguf FILE` the 5-shot case also runs on llama.cpp: the tree against every context
 * evaluated whole, tokens evaluated (node-llama-cpp's token meter) and wall time. Usage:
 *   node dist/bench/prefix-tree.js MODEL_DIR [QUESTIONS=100] [ROUNDS=5] [--gguf FILE]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedExternalDir } from '../core/paths.js';
import type { LoglikelihoodRequest } from '../core/requests.js';
import { LlamaCppAdapter } from '../runners/backends/llama-cpp/llama-adapter.js';
import { scoreLoglikelihood } from '../runners/backends/llama-cpp/loglikelihood.js';
import { OnnxDecoderAdapter } from '../runners/backends/onnxruntime/onnx-adapter.js';
import { tokenizePairs } from '../runners/model/request-tokens.js';
import { CHOICES_PER_QUESTION, multipleChoiceRequests } from './mc-requests.js';
import { installOrtRunTimer, ortRunTime, resetOrtRunTime } from './ort-run-time.js';

const SHOTS = 5;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** `questions` 4-way questions behind a header of {@link SHOTS} answered ones (the true answer is each question's first choice). */
function fewShotRequests(questions: number): LoglikelihoodRequest[] {
  const all = multipleChoiceRequests(questions + SHOTS);
  const header = Array.from({ length: SHOTS }, (_, q) => all[q * CHOICES_PER_QUESTION]).map((r) => r.context + r.continuation).join('\n\n');
  return all.slice(SHOTS * CHOICES_PER_QUESTION).map((r) => ({ context: `${header}\n\n${r.context}`, continuation: r.continuation }));
}

/** The TinyStories sample's words (725 of them). */
function storyWords(): string[] {
  const ext = sharedExternalDir();
  if (!ext) throw new Error('../shared/external not found (TinyStories sample)');
  return readFileSync(join(ext, 'datasets', 'tinystories_sample.txt'), 'utf8').replace(/<\|endoftext\|>/g, ' ').split(/\s+/).filter(Boolean);
}

/** `questions` distinct passages of `words` words (overlapping windows of the sample, each starting elsewhere), 4 continuations each. */
function unsharedRequests(text: readonly string[], questions: number, words: number): LoglikelihoodRequest[] {
  const out: LoglikelihoodRequest[] = [];
  for (let q = 0; q < questions; q++) {
    const start = (q * 5) % (text.length - words - 20);
    const context = text.slice(start, start + words).join(' ');
    for (let c = 0; c < CHOICES_PER_QUESTION; c++) out.push({ context, continuation: ' ' + text.slice(start + words + c * 3, start + words + c * 3 + 1 + c).join(' ') });
  }
  return out;
}

/** The 5-shot case on llama.cpp: the tree (32-token grid) against whole contexts, alternating. */
async function llamaCase(gguf: string, requests: readonly LoglikelihoodRequest[], rounds: number): Promise<Record<string, unknown>> {
  const adapter = await LlamaCppAdapter.load(gguf);
  try {
    const seq = adapter.sequence;
    const pairs = tokenizePairs(adapter.tokenizer, requests, adapter.maxLength);
    const blocks = [Infinity, undefined];
    const runs = blocks.map(() => ({ wall: [] as number[], tokens: 0, logprobs: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      for (const b of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const before = seq.tokenMeter.usedInputTokens;
        const t0 = performance.now();
        runs[b].logprobs = (await scoreLoglikelihood(seq, pairs, undefined, blocks[b])).map((r) => r.logprob);
        runs[b].wall.push((performance.now() - t0) / 1000);
        runs[b].tokens = seq.tokenMeter.usedInputTokens - before;
      }
    }
    const [whole, tree] = runs;
    return {
      gguf,
      maxAbsLogprobDiff: Math.max(...whole.logprobs.map((l, i) => Math.abs(l - tree.logprobs[i]))),
      whole: { tokensEvaluated: whole.tokens, wallSeconds: median(whole.wall) },
      tree: { tokensEvaluated: tree.tokens, wallSeconds: median(tree.wall) },
      tokensRatio: whole.tokens / tree.tokens,
      wallSpeedup: median(whole.wall) / median(tree.wall),
    };
  } finally {
    await adapter.dispose();
  }
}

const ggufAt = process.argv.indexOf('--gguf');
const gguf = ggufAt > 0 ? process.argv[ggufAt + 1] : undefined;
const [dir, questionsArg = '100', roundsArg = '5'] = process.argv.slice(2, ggufAt > 0 ? ggufAt : undefined);
if (!dir) throw new Error('usage: prefix-tree.js MODEL_DIR [QUESTIONS] [ROUNDS]');
await installOrtRunTimer(join(dir, 'onnx', 'model.onnx'));
const paths = ['shared-prefix', 'prefix-tree'] as const;
const adapters = await Promise.all(paths.map((path) => OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1, loglikelihoodPath: path })));
const fewShot = fewShotRequests(Number(questionsArg));
const { tokenizer } = adapters[0].folder;
const headerTokens = tokenizer.encode(fewShot[0].context).length;
const text = storyWords();
// passages about as long as a 5-shot context
const words = Math.round((headerTokens * 200) / tokenizer.encode(text.slice(0, 200).join(' ')).length);
const cases: [string, LoglikelihoodRequest[]][] = [
  ['5-shot', fewShot],
  ['unshared', unsharedRequests(text, Number(questionsArg), words)],
];
const report: Record<string, unknown> = { model: dir, rounds: Number(roundsArg), contextTokensOfFirst5ShotInstance: headerTokens };
for (const [name, requests] of cases) {
  const runs = paths.map(() => ({ wall: [] as number[], run: [] as number[], calls: 0, tokens: 0, logprobs: [] as number[] }));
  for (const a of adapters) await a.loglikelihood(requests.slice(0, 8));
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const p of round % 2 === 0 ? [0, 1] : [1, 0]) {
      resetOrtRunTime();
      const t0 = performance.now();
      runs[p].logprobs = (await adapters[p].loglikelihood(requests)).map((r) => r.logprob);
      runs[p].wall.push((performance.now() - t0) / 1000);
      const ort = ortRunTime();
      runs[p].run.push(ort.seconds);
      runs[p].calls = ort.calls;
      runs[p].tokens = ort.tokens;
    }
  }
  const [before, after] = runs;
  report[name] = {
    requests: requests.length,
    maxAbsLogprobDiff: Math.max(...before.logprobs.map((l, i) => Math.abs(l - after.logprobs[i]))),
    ...Object.fromEntries(
      paths.map((path, p) => [path, { tokensFed: runs[p].tokens, runCalls: runs[p].calls, runSeconds: median(runs[p].run), wallSeconds: median(runs[p].wall), runSecondsAll: runs[p].run.map((s) => +s.toFixed(3)) }]),
    ),
    tokensRatio: before.tokens / after.tokens,
    runTimeSpeedup: median(before.run) / median(after.run),
    wallSpeedup: median(before.wall) / median(after.wall),
  };
}
if (gguf) report['5-shot llama.cpp'] = await llamaCase(gguf, fewShot, Number(roundsArg));
console.log(JSON.stringify(report, null, 1));
await Promise.all(adapters.map((a) => a.dispose()));
