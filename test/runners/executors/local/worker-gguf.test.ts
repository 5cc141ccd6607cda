import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runShard } from '../../../../runners/executors/local/worker.js';
import type { ShardResult, ShardTask } from '../../../../runners/matrix/shard.js';
import { storiesGguf } from '../../backends/llama-cpp/fixtures.js';
import { writeTinySuites } from '../../matrix/fixtures.js';

const test = suite('runners/executors/local/worker with a GGUF variant (llama.cpp through openModel)');

function scores(r: ShardResult): Record<string, number>[] {
  assert.is(r.state, 'ok', r.state === 'failed' ? r.error : '');
  return r.records.map((x) => {
    assert.is(x.state, 'scored');
    return x.state === 'scored' ? (x.scores as Record<string, number>) : {};
  });
}

test('a multiple-choice and a perplexity shard score the same on the GGUF as on the ONNX folder', async () => {
  const s = storiesGguf('worker GGUF shard');
  if (!s) return;
  const { mc, ppl } = writeTinySuites(join(s.dir, '..'));
  const task = (variantDir: string, suiteDir: string, ids: string[]): ShardTask => ({
    kind: 'shard', variantDir, suiteFile: join(suiteDir, 'suite.json'), instanceIds: ids, intraOpNumThreads: 1, timeoutMs: 600_000, batchSize: 20,
  });
  const mcGguf = scores(await runShard(task(s.gguf, mc, ['a', 'b'])));
  const mcOnnx = scores(await runShard(task(s.dir, mc, ['a', 'b'])));
  assert.equal(mcGguf, mcOnnx);
  assert.is(mcGguf.length, 2);
  const pplGguf = await runShard(task(s.gguf, ppl, ['s0', 's1']));
  const pplOnnx = await runShard(task(s.dir, ppl, ['s0', 's1']));
  const [g, o] = [scores(pplGguf), scores(pplOnnx)];
  g.forEach((row, i) => {
    for (const [metric, value] of Object.entries(row)) {
      assert.ok(Number.isFinite(value), `${metric} finite`);
      assert.ok(Math.abs(value - o[i][metric]) <= 1e-5 * Math.abs(o[i][metric]), `${metric}: ${value} vs ${o[i][metric]}`);
    }
  });
});

test.run();
