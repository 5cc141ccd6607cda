/**
 * Child of cpu-library.test.ts: opens a GGUF with the llama.cpp backend and prints, as one
 * JSON line, the CPU library llama.cpp loaded and the scores of fixed requests. Run once
 * natively and once under QEMU as an AVX2-only CPU, so the two ggml CPU paths are compared.
 */
import { describeBackend } from '../../../../runners/backends/backend-info.js';
import { openModel } from '../../../../runners/backends/open-model.js';

/** Fixed requests: multiple choice with a shared context, and a rolling text. */
export const CPU_LIBRARY_REQUESTS = {
  loglikelihood: [
    { context: 'Tom had 3 apples and ate one. Now Tom has', continuation: ' 2 apples.' },
    { context: 'Tom had 3 apples and ate one. Now Tom has', continuation: ' 4 apples.' },
    { context: 'The capital of the country is', continuation: ' a small town by the sea.' },
    { context: 'She opened the door and saw', continuation: ' a big red ball in the garden.' },
  ],
  rolling: [{ text: 'Once upon a time there was a little girl who liked to read books about the sea and the stars.' }],
};

async function main(): Promise<void> {
  const model = await openModel(process.argv[2], { threads: 1 });
  const ll = await model.loglikelihood(CPU_LIBRARY_REQUESTS.loglikelihood);
  const rolling = await model.rolling(CPU_LIBRARY_REQUESTS.rolling);
  const [gen] = await model.generate([{ prompt: 'Once upon a time', options: { maxNewTokens: 24 } }]);
  const info = describeBackend(model);
  process.stdout.write(`${JSON.stringify({ cpuVariant: info?.backend === 'llama.cpp' ? info.cpuVariant : 'none', logprobs: ll.map((r) => r.logprob), nll: rolling.map((r) => r.nllSum), generated: gen.generatedIds })}\n`);
  await model.dispose?.();
}

if (process.argv[2]) await main();
