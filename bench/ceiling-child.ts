/**
 * Child of the parallel-ceiling benchmark: answers every request of the given bundled
 * suites on one model with one intra-op thread (the in-process loop of the harness
 * benchmark, no matrix around it) and prints one JSON line with the seconds it took
 * (model load and request building excluded).
 *
 *   node dist/bench/ceiling-child.js MODEL_DIR SUITE_ID...
 */
import { packagePath } from '../core/paths.js';
import { OnnxDecoderAdapter } from '../runners/backends/onnxruntime/onnx-adapter.js';
import { answerRequests, buildRequests, loadSuite } from '../suites/index.js';

const [dir, ...suiteIds] = process.argv.slice(2);
const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 1 });
const items = suiteIds.map((id) => buildRequests(loadSuite(packagePath('suites', id))));
const t0 = performance.now();
for (const it of items) await answerRequests(adapter, it);
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
await adapter.dispose();
