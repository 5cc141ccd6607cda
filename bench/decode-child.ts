/**
 * Child process of the decode benchmark: opens one synthetic Llama folder through the
 * runtime (loadModelFolder + DecoderSession, as `compbench run` does), prefills a
 * PROMPT-token prompt, then decodes batch-1 with the KV cache — each step feeds back the
 * argmax token and the present keys/values — for up to STEPS timed steps (fewer when they
 * pass BUDGET_MS, at least 3), after one untimed warm-up step. Prints one JSON line.
 *
 *   node dist/bench/decode-child.js MODEL_DIR STEPS BUDGET_MS THREADS PROMPT
 */
import { readFileSync } from 'node:fs';
import { DecoderSession, type ForwardResult } from '../runners/backends/onnxruntime/decoder-session.js';
import { loadModelFolder } from '../runners/model/model-folder.js';
import { decodePrompt, MIN_STEPS, type DecodeChildResult } from './decode-child-result.js';

function argmaxLast(r: ForwardResult, tokens: number): number {
  const at = r.offset(0, tokens - 1);
  let best = 0;
  for (let v = 1; v < r.vocab; v++) if (r.logits[at + v] > r.logits[at + best]) best = v;
  return best;
}

const [dir, stepsArg, budgetArg, threadsArg, promptArg] = process.argv.slice(2);
const maxSteps = Number(stepsArg), budgetMs = Number(budgetArg), promptTokens = Number(promptArg);
const t0 = performance.now();
const session = await DecoderSession.create(loadModelFolder(dir), { intraOpNumThreads: Number(threadsArg) });
const loadMs = performance.now() - t0;
const prompt = decodePrompt(promptTokens);
const t1 = performance.now();
let r = await session.forward([prompt]);
const prefillMs = performance.now() - t1;
const generatedIds = [argmaxLast(r, prompt.length)];
const stepMs: number[] = [];
const started = performance.now();
for (let i = 0; i <= maxSteps && (stepMs.length < MIN_STEPS || performance.now() - started < budgetMs); i++) {
  const t = performance.now();
  r = await session.forward([[generatedIds[generatedIds.length - 1]]], r.cache);
  if (i > 0) stepMs.push(performance.now() - t); // step 0 warms up
  generatedIds.push(argmaxLast(r, 1));
}
stepMs.sort((a, b) => a - b);
const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
const result: DecodeChildResult = {
  loadMs, promptTokens, prefillMs, steps: stepMs.length, medianMs: stepMs[Math.floor(stepMs.length / 2)], bestMs: stepMs[0],
  peakRssBytes: hwm ? Number(hwm[1]) * 1024 : null, generatedIds,
};
console.log(JSON.stringify(result));
await session.release();
