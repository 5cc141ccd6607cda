/**
 * The log-softmax normaliser in the graph (graph/logit-lse.ts): scores and perplexities with
 * `logits_lse` must match the JavaScript log-softmax over the same gathered logits to float64
 * rounding, the greedy flags must be the same, and the surgery must write `axes` the way the
 * model's opset wants it.
 */
import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../../core/paths.js';
import type { LoglikelihoodRequest } from '../../../../core/requests.js';
import { OnnxDecoderAdapter } from '../../../../runners/backends/onnxruntime/onnx-adapter.js';
import { readModelFile } from '../../../../runners/formats/onnx/read-model.js';
import { addLogitLse, LOGITS_LSE, LOGITS_MAX } from '../../../../runners/graph/logit-lse.js';
import { buildSynthLlama } from '../../../../runners/synth/llama-graph.js';
import { convertModel, SYNTH_FORMATS, formatLabel } from '../../../../runners/synth/model-formats.js';
import { writeSynthLlamaFolder } from '../../../../runners/synth/synth-folder.js';
import { teacherDir, tempDir } from '../../fixtures.js';

const test = suite('runners/onnxruntime (log-softmax normaliser in the graph)');

const STORY = 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her dog. One day, she saw a big red ball.';

function requests(): LoglikelihoodRequest[] {
  const words = STORY.split(' ');
  const out: LoglikelihoodRequest[] = [];
  for (let q = 0; q < 6; q++) {
    const context = words.slice(0, 2 + q * 5).join(' ');
    for (let o = 0; o < 3; o++) out.push({ context, continuation: ' ' + words.slice(3 + o * 2, 4 + o * 3 + q).join(' ') });
  }
  return out;
}

/** Loglikelihood (prefix tree and full forwards) and rolling NLLs with and without the graph's normaliser. */
async function compare(dir: string, what: string): Promise<void> {
  const run = async (logSumExp: boolean): Promise<{ has: boolean; values: number[]; greedy: boolean[] }> => {
    const values: number[] = [];
    const greedy: boolean[] = [];
    let has = false;
    for (const path of ['prefix-tree', 'full-forward'] as const) {
      const a = await OnnxDecoderAdapter.load(dir, { logSumExp, loglikelihoodPath: path });
      try {
        const ll = await a.loglikelihood(requests());
        values.push(...ll.map((r) => r.logprob));
        greedy.push(...ll.map((r) => r.isGreedy));
        if (path === 'prefix-tree') values.push(...(await a.rolling([{ text: STORY }, { text: 'Lily ran.' }])).map((r) => r.nllSum));
        has = (a.session as unknown as { session: { outputNames: string[] } }).session.outputNames.includes(LOGITS_LSE);
      } finally {
        await a.dispose();
      }
    }
    return { has, values, greedy };
  };
  const js = await run(false);
  const graph = await run(true);
  assert.is(js.has, false, `${what}: the reference has no ${LOGITS_LSE}`);
  assert.is(graph.has, true, `${what}: ${LOGITS_LSE} was added`);
  assert.equal(graph.greedy, js.greedy, `${what}: greedy flags`);
  graph.values.forEach((v, i) => {
    assert.ok(Number.isFinite(v), `${what}: value ${i} is finite`);
    assert.ok(Math.abs(v - js.values[i]) <= 1e-9 * Math.max(1, Math.abs(v)), `${what}: value ${i}: ${v} vs ${js.values[i]}`);
  });
}

test('teacher: the graph normaliser matches the JavaScript log-softmax', async () => {
  const dir = teacherDir('logit lse (teacher)');
  if (dir) await compare(dir, 'teacher');
});

test('synth vocab 4096, fp32 and MatMulNBits level 0 (external data): the same', async () => {
  const shape = { hidden: 64, layers: 2, intermediate: 128, heads: 2, kvHeads: 2, vocab: 4096, maxPositions: 64, seed: 7 };
  for (const format of SYNTH_FORMATS.filter((f) => ['fp32', 'nbits4-acc0'].includes(formatLabel(f)))) {
    const dir = tempDir('synth-lse');
    writeSynthLlamaFolder(convertModel(buildSynthLlama(shape), format), dir, shape, { format: formatLabel(format) });
    await compare(dir, `synth ${formatLabel(format)}`);
  }
});

test('surgery: axes as attribute or input by opset, applied once', () => {
  const stories = packagePath('datasets', 'models', 'stories260k', 'onnx', 'model.onnx');
  if (!existsSync(stories)) return console.log('SKIP logit lse (surgery): datasets/models/stories260k absent');
  for (const [version, maxInput, sumInput] of [[12, false, false], [17, false, true], [18, true, true]] as const) {
    const model = readModelFile(stories);
    (model.opset_import as { domain?: string; version?: number }[]).forEach((o) => {
      if (!o.domain) o.version = version;
    });
    assert.is(addLogitLse(model), true);
    assert.is(addLogitLse(model), false, 'the second application is refused');
    const node = (op: string) => model.graph!.node!.find((n) => n.op_type === op && (n.name ?? '').startsWith('/logits_lse/'))!;
    const axesAttr = (op: string) => (node(op).attribute ?? []).some((a) => a.name === 'axes');
    assert.is(node('ReduceMax').input!.length === 2, maxInput, `opset ${version}: ReduceMax axes as input`);
    assert.is(axesAttr('ReduceMax'), !maxInput);
    assert.is(node('ReduceSum').input!.length === 2, sumInput, `opset ${version}: ReduceSum axes as input`);
    assert.is(axesAttr('ReduceSum'), !sumInput);
    assert.ok(((model.graph!.output ?? []) as { name?: string }[]).some((o) => o.name === LOGITS_LSE));
    assert.ok(((model.graph!.output ?? []) as { name?: string }[]).some((o) => o.name === LOGITS_MAX));
  }
});

test.run();
