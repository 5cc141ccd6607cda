/**
 * Child of the parallel-ceiling benchmark: scores the multiple-choice request set
 * `repeats` times on the teacher with one intra-op thread and prints one JSON line with
 * the seconds it took (load and warm-up excluded).
 *
 *   node dist/bench/ceiling-child.js MODEL_DIR QUESTIONS REPEATS
 */
import { OnnxDecoderAdapter } from '../runners/onnx-adapter.js';
import { multipleChoiceRequests } from './mc-requests.js';

const [dir, questionsArg, repeatsArg] = process.argv.slice(2);
const requests = multipleChoiceRequests(Number(questionsArg));
const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1 });
await adapter.loglikelihood(requests.slice(0, 8));
const t0 = performance.now();
for (let i = 0; i < Number(repeatsArg); i++) await adapter.loglikelihood(requests);
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
await adapter.dispose();
