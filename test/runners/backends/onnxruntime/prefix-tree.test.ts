/**
 * The prefix tree's bookkeeping (grid split points, sharing, memory windows) and what it
 * saves: a few-shot header is fed to the model once per call, not once per context.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_BATCH_LIMITS, rowPlan } from '../../../../runners/backends/onnxruntime/batching.js';
import { DecoderSession } from '../../../../runners/backends/onnxruntime/decoder-session.js';
import type { TokenizedPair } from '../../../../runners/backends/onnxruntime/loglikelihood.js';
import { buildPrefixTree, pathTo, planWindows, type PrefixNode } from '../../../../runners/model/prefix-tree.js';
import { scorePrefixTree, scoreSharedPrefix } from '../../../../runners/backends/onnxruntime/prefix-tree-scorer.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import { studentDir } from '../../fixtures.js';
import { fewShotPairs } from './few-shot-pairs.js';

const test = suite('runners/onnxruntime (prefix tree)');

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const pair = (contextIds: number[], continuationIds = [9]): TokenizedPair => ({ contextIds, continuationIds });

test('split points sit on the grid whatever the other contexts are', () => {
  const a = [1, ...range(100, 20)];
  const b = [1, ...range(100, 9), 7, 7];
  const c = [1, ...range(100, 6)];
  for (const pairs of [[pair(a)], [pair(a), pair(b), pair(c)], [pair(c), pair(b), pair(a), pair(a)]]) {
    const tree = buildPrefixTree(pairs, 8);
    const leafOfA = tree.contexts.find((x) => x.ids === a)!.leaf;
    assert.equal(
      pathTo(leafOfA).map((n) => [n.start, n.ids.length]),
      [
        [0, 8],
        [8, 8],
        [16, 5],
      ],
    );
  }
  const tree = buildPrefixTree([pair(a), pair(b), pair(c), pair(a, [3, 4])], 8);
  // a and b share their first block; c (7 tokens) is a node of its own; b's second block differs
  assert.is(tree.nodes.length, 5);
  assert.equal(
    tree.contexts.map((x) => x.members),
    [[2], [1], [0, 3]],
    'distinct contexts in token order, pairs grouped',
  );
  assert.ok(pathTo(tree.contexts[1].leaf)[0] === pathTo(tree.contexts[2].leaf)[0], 'one shared first block');
});

test('a context that ends on the grid is the node its longer siblings continue', () => {
  const head = [1, ...range(50, 15)];
  const tree = buildPrefixTree([pair(head), pair([...head, 5, 6])], 8);
  assert.is(tree.nodes.length, 3);
  const [short, long] = tree.contexts;
  assert.ok(pathTo(long.leaf)[1] === short.leaf);
  assert.equal(short.leaf.ends, [0]);
});

test('windows keep the budget, cover every context once, and take an oversized context alone', () => {
  const header = [1, ...range(200, 40)];
  const pairs = range(0, 12).map((q) => pair([...header, ...range(1000 + q * 10, 5 + q)]));
  const tree = buildPrefixTree(pairs, 8);
  const bytes = (n: PrefixNode): number => n.start + n.ids.length;
  const windows = planWindows(tree, bytes, 150);
  assert.ok(windows.length > 1, 'the budget splits the call');
  assert.equal(windows.flat(), [...tree.contexts]);
  const computed = new Set<number>();
  for (const w of windows) {
    const levels: number[] = [];
    for (const n of w.flatMap((c) => pathTo(c.leaf))) {
      if (computed.has(n.id)) continue;
      computed.add(n.id);
      levels[n.depth] = (levels[n.depth] ?? 0) + bytes(n);
    }
    const peak = Math.max(...Array.from(levels, (b, k) => (b ?? 0) + (levels[k - 1] ?? 0)));
    assert.ok(peak <= 150 || w.length === 1, `window of ${w.length} contexts holds ${peak} > 150`);
  }
  assert.is(computed.size, tree.nodes.length, 'the shared header is computed in the first window only');
  assert.equal(
    planWindows(tree, bytes, 1).map((w) => w.length),
    tree.contexts.map(() => 1),
  );
});

/** Tokens (rows × padded width) a scorer feeds the model. */
async function tokensFed(session: DecoderSession, run: () => Promise<unknown>): Promise<number> {
  let fed = 0;
  const forward = session.forward.bind(session);
  session.forward = (rows, past, width, options) => {
    fed += rows.length * (width ?? Math.max(...rows.map((r) => r.length)));
    return forward(rows, past, width, options);
  };
  try {
    await run();
  } finally {
    session.forward = forward;
  }
  return fed;
}

test('student: the header is fed once, under any memory bound', async () => {
  const dir = studentDir('prefix tree tokens');
  if (!dir) return;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  try {
    const plan = rowPlan(DEFAULT_BATCH_LIMITS, session.rowsInteract, folder.config.maxPositions);
    const header = [1, ...range(40, 95)];
    const pairs = range(0, 20).flatMap((q) => [0, 1, 2].map((c) => pair([...header, ...range(300 + q * 7, 6)], [500 + c, 600])));
    const whole = await tokensFed(session, () => scoreSharedPrefix(session, pairs, plan));
    const tree = await tokensFed(session, () => scorePrefixTree(session, pairs, plan));
    const bounded = await tokensFed(session, () => scorePrefixTree(session, pairs, plan, { budgetBytes: 1 }));
    // whole: 20 contexts of 102 tokens padded to 112 + 60 continuation rows × 8; tree: 3 header blocks once + 20 × 8 + 60 × 8
    assert.is(whole, 20 * 112 + 60 * 8);
    assert.is(tree, 96 + 20 * 8 + 60 * 8);
    assert.is(bounded, tree, 'one context per window still computes the header once');
  } finally {
    await session.release();
  }
});

test('student: results do not depend on the memory bound, bit for bit', async () => {
  const dir = studentDir('prefix tree bound');
  if (!dir) return;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  try {
    const plan = rowPlan(DEFAULT_BATCH_LIMITS, session.rowsInteract, folder.config.maxPositions);
    const pairs = fewShotPairs(3, folder.config.vocabSize, 90);
    const free = await scorePrefixTree(session, pairs, plan);
    for (const budgetBytes of [1, 200_000]) assert.equal(await scorePrefixTree(session, pairs, plan, { budgetBytes }), free, `bound ${budgetBytes}`);
  } finally {
    await session.release();
  }
});

test.run();
