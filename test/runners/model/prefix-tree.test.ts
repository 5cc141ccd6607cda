/** The prefix tree's bookkeeping: grid split points, sharing, memory windows. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildPrefixTree, pathTo, planWindows, type PrefixNode } from '../../../runners/model/prefix-tree.js';
import type { TokenizedPair } from '../../../runners/model/request-tokens.js';

const test = suite('runners/model/prefix-tree');

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const pair = (contextIds: number[], continuationIds = [9]): TokenizedPair => ({ contextIds, continuationIds });

test('finer cuts inside the first block: every 8 tokens up to 32, then every 32; one start per depth', () => {
  const long = [1, ...range(100, 99)];
  const short = [1, ...range(100, 12)];
  const other = [1, ...range(100, 7), ...range(500, 30)];
  const tree = buildPrefixTree([pair(long), pair(short), pair(other)], 32, 8);
  const cuts = (ids: number[]): number[][] => pathTo(tree.contexts.find((x) => x.ids === ids)!.leaf).map((n) => [n.start, n.ids.length]);
  assert.equal(cuts(long), [[0, 8], [8, 8], [16, 8], [24, 8], [32, 32], [64, 32], [96, 4]]);
  assert.equal(cuts(short), [[0, 8], [8, 5]]);
  // all three share the first 8 tokens
  assert.is(tree.nodes.filter((n) => n.depth === 0).length, 1);
  for (const n of tree.nodes) assert.is(n.start, [0, 8, 16, 24, 32, 64, 96][n.depth]);
  // without `fine` the grid is uniform, as the llama.cpp backend uses it
  assert.equal(pathTo(buildPrefixTree([pair(long)], 32).contexts[0].leaf).map((n) => n.start), [0, 32, 64, 96]);
});

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

test.run();
