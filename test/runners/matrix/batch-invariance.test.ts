/**
 * Batch invariance (issue 12 part 3): a per-instance result must not depend on which
 * instances share its forwards. The same suites run through the matrix with different
 * shard sizes, worker counts and instance orders must give the same instance lines, bit
 * for bit, for fp32, MatMulNBits at accuracy_level 0 and 4, and W8A8.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import type { RunRecord } from '../../../core/run-record.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { storiesDir, teacherDir, tempDir } from '../fixtures.js';
import { writeConfig, writeTinySuites } from './fixtures.js';

const test = suite('runners/matrix (batch invariance)');

const FORMS = [
  { method: 'rtn', bits: 4, group: 'channel', accuracyLevel: 0, id: 'rtn4-l0' },
  { method: 'rtn', bits: 4, group: 'channel', accuracyLevel: 4, id: 'rtn4-l4' },
  { method: 'smoothquant', id: 'w8a8' },
];

type Order = (lines: string[]) => string[];
const reversed: Order = (lines) => [...lines].reverse();
const oddsThenEvens: Order = (lines) => [...lines.filter((_, i) => i % 2 === 1), ...lines.filter((_, i) => i % 2 === 0)];

/** A copy of the suite folder `dir` with its first `n` instances in `order`. */
function copySuite(dir: string, n: number, order: Order): string {
  const spec = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as { dataset: string };
  const lines = readFileSync(join(dir, spec.dataset), 'utf8').split('\n').filter(Boolean).slice(0, n);
  const out = join(tempDir('suite'), 'suite');
  mkdirSync(out);
  writeFileSync(join(out, spec.dataset), `${order(lines).join('\n')}\n`);
  writeFileSync(join(out, 'suite.json'), JSON.stringify(spec));
  return out;
}

interface Layout {
  readonly order: Order;
  readonly shardSize: number;
  readonly workers: number;
}

/** Runs the matrix once per layout (variants built once, results recomputed each time); instance lines by key. */
async function runLayouts(model: string, suites: readonly [string, number][], layouts: readonly Layout[]): Promise<{ lines: Map<string, string>[]; record: RunRecord }> {
  const cacheDir = tempDir('cache');
  const out: Map<string, string>[] = [];
  let record: RunRecord | undefined;
  for (const { order, shardSize, workers } of layouts) {
    const config = writeConfig({
      models: [{ id: 'base', dir: model }],
      methods: FORMS,
      suites: suites.map(([dir, n]) => copySuite(dir, n, order)),
      seed: 1,
      measurement: { enabled: false },
      execution: { workers, shardSize },
      cacheDir,
    });
    rmSync(join(cacheDir, 'results'), { recursive: true, force: true });
    const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, () => {});
    assert.is(r.cachedInstances, 0);
    assert.is(r.record.complete, true);
    record = r.record;
    const lines = readFileSync(join(r.outDir, 'instances.jsonl'), 'utf8').split('\n').filter(Boolean);
    out.push(new Map(lines.map((l) => [keyOf(JSON.parse(l) as Record<string, string>), l])));
  }
  return { lines: out, record: record! };
}

function keyOf(line: Record<string, string>): string {
  // Lines scored under a template variant (knowledge-closed lists two) are lines of their own.
  return `${line.variantId}|${line.suiteId}|${line.template ?? 'primary'}|${line.instanceId}`;
}

/** Every layout's lines equal the first layout's, byte for byte. */
function assertSameLines(runs: readonly Map<string, string>[], expected: number): void {
  const [first, ...rest] = runs;
  assert.is(first.size, expected);
  for (const [k, other] of rest.entries()) {
    assert.equal([...other.keys()].sort(), [...first.keys()].sort());
    for (const [key, line] of first) assert.is(other.get(key), line, `layout ${k + 1}: ${key}`);
  }
}

test('teacher: fp32, MatMulNBits level 0 and 4, W8A8 give identical instance lines under any shards, workers and order', async () => {
  const model = teacherDir('batch invariance (teacher)');
  if (!model) return;
  const suites: [string, number][] = [
    [packagePath('suites', 'fairness-people'), 10],
    [packagePath('suites', 'perplexity'), 3],
    [packagePath('suites', 'knowledge-closed'), 10],
  ];
  const { lines, record } = await runLayouts(model, suites, [
    { order: (l) => l, shardSize: 3, workers: 1 },
    { order: reversed, shardSize: 128, workers: 2 },
    { order: oddsThenEvens, shardSize: 5, workers: 2 },
  ]);
  // 4 variants × (10 + 3 + 10) items, and the parent under knowledge-closed's 2 template variants.
  assertSameLines(lines, 4 * (10 + 3 + 10) + 2 * 10);
  assert.equal(
    record.variants.map((v) => `${v.id}:${v.batching?.rowsPerForward}:${v.batching?.invariant}`),
    ['base:many:true', 'base/rtn4-l0:many:true', 'base/rtn4-l4:many:true', 'base/w8a8:one:true'],
  );
});

test('stories260k: story NLLs and choices identical between shards of 10 and 128 in reverse order', async () => {
  const model = storiesDir('batch invariance (stories260k)');
  if (!model) return;
  const { ppl, mc } = writeTinySuites(join(model, '..'));
  const { lines } = await runLayouts(model, [[ppl, 5], [mc, 2]], [
    { order: (l) => l, shardSize: 10, workers: 1 },
    { order: reversed, shardSize: 128, workers: 2 },
  ]);
  assertSameLines(lines, 4 * (5 + 2));
});

test.run();
