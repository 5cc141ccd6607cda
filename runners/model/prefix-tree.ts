/**
 * The prefix tree of loglikelihood contexts (issue 15 item 2): contexts that share leading
 * tokens share the nodes that hold them, and each node is prefilled once for all of its
 * descendants. Split points sit on a fixed grid of {@link PREFIX_BLOCK} tokens, so where a
 * context is cut depends on that context alone, never on which other contexts share the call:
 * node k of a context always holds its tokens [k·block, min((k+1)·block, length)), and the
 * forwards a context takes part in are the same in any batch (README "Batch invariance").
 * Pure bookkeeping: no onnxruntime here (onnxruntime/prefix-tree-scorer.ts and llama-cpp/loglikelihood.ts run the forwards).
 */
import type { TokenizedPair } from './request-tokens.js';

/**
 * Tokens per tree level. A multiple of onnxruntime/batching.ts ROW_TILE no larger than 64, so a full block is its
 * own padded width and a child's past holds no padding. Smaller blocks share more of a
 * header whose length is not a multiple of the block; larger ones take fewer forwards for
 * long contexts that share nothing (docs/prefix-tree.md has the figures).
 */
export const PREFIX_BLOCK = 32;

/**
 * Finer cuts inside the first block, where short contexts diverge: multiple-choice questions
 * share their first words ("Q: What is the capital of"), which 32-token blocks never share.
 * With 8-token cuts up to token 32, 100 zero-shot knowledge-closed questions on the teacher fed
 * 1,720 tokens instead of 2,250 and a cold call took 10% less time (docs/prefix-tree.md); after
 * token 32 the grid stays at {@link PREFIX_BLOCK}, so a long context takes 3 more levels, not
 * 4× as many.
 */
export const FINE_BLOCK = 8;

/** One block of tokens after a parent's prefix (a cell of the grid: see {@link buildPrefixTree}). */
export interface PrefixNode {
  /** Index in {@link PrefixTree.nodes}. */
  readonly id: number;
  /** Level: the node's tokens start at depth × block. */
  readonly depth: number;
  /** Position of the node's first token (= the past its forward continues). */
  readonly start: number;
  /** The node's own tokens (1..block of them; fewer only at a context's end). */
  readonly ids: readonly number[];
  readonly parent: PrefixNode | undefined;
  /** Children by their tokens joined with ','. */
  readonly children: Map<string, PrefixNode>;
  /** Indices into {@link PrefixTree.contexts} of the contexts that end with this node. */
  readonly ends: number[];
}

/** A distinct context, the pairs that continue it and the node holding its last tokens. */
export interface TreeContext {
  readonly ids: readonly number[];
  /** Pair indices, in request order. */
  readonly members: number[];
  readonly leaf: PrefixNode;
}

/** Nodes (parents before children) and distinct contexts in lexicographic order of their ids. */
export interface PrefixTree {
  readonly nodes: readonly PrefixNode[];
  readonly contexts: readonly TreeContext[];
}

/** Lexicographic order of token-id arrays (a prefix first). */
function compareIds(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The tree of `pairs`' contexts cut every `fine` tokens up to token `block`, then every `block`
 * tokens (Infinity: one node per distinct context, the plain shared-context scorer). The cuts
 * are a fixed grid of positions, so every node of one depth starts at the same position. Sorting puts every subtree's contexts next to
 * each other, which is what lets {@link planWindows} keep only one chain of nodes between windows.
 */
export function buildPrefixTree(pairs: readonly TokenizedPair[], block: number = PREFIX_BLOCK, fine: number = block): PrefixTree {
  const byKey = new Map<string, { ids: readonly number[]; members: number[] }>();
  pairs.forEach((p, i) => {
    const key = p.contextIds.join(',');
    const found = byKey.get(key);
    if (found) found.members.push(i);
    else byKey.set(key, { ids: p.contextIds, members: [i] });
  });
  const sorted = [...byKey.values()].sort((a, b) => compareIds(a.ids, b.ids));
  const nodes: PrefixNode[] = [];
  const roots = new Map<string, PrefixNode>();
  const contexts = sorted.map(({ ids, members }, c): TreeContext => {
    if (ids.length === 0) throw new Error('buildPrefixTree: an empty context (contexts start with BOS)');
    let parent: PrefixNode | undefined;
    for (let start = 0, depth = 0, size = Math.min(fine, block); start < ids.length; start += size, depth++, size = start < block ? Math.min(fine, block) : block) {
      const own = ids.slice(start, Math.min(ids.length, start + size));
      const key = own.join(',');
      const siblings = parent ? parent.children : roots;
      let node = siblings.get(key);
      if (!node) {
        node = { id: nodes.length, depth, start, ids: own, parent, children: new Map(), ends: [] };
        nodes.push(node);
        siblings.set(key, node);
      }
      parent = node;
    }
    parent!.ends.push(c);
    return { ids, members, leaf: parent! };
  });
  return { nodes, contexts };
}

/** The nodes from the root to `leaf`. */
export function pathTo(leaf: PrefixNode): PrefixNode[] {
  const path: PrefixNode[] = [];
  for (let n: PrefixNode | undefined = leaf; n; n = n.parent) path.push(n);
  return path.reverse();
}

/**
 * Splits the contexts (in tree order) into consecutive windows whose nodes fit `budgetBytes`
 * while a window runs: it computes level by level and holds two levels at a time (the parents
 * and the level being computed), so a window's cost is the largest sum of two adjacent levels
 * of the nodes it computes. `nodeBytes` gives a node's cache size. A window always takes at
 * least one context, so a single context larger than the budget still runs (alone).
 */
export function planWindows(tree: PrefixTree, nodeBytes: (node: PrefixNode) => number, budgetBytes: number): TreeContext[][] {
  const windows: TreeContext[][] = [];
  const assigned = new Uint8Array(tree.nodes.length);
  let current: TreeContext[] = [];
  let levels: number[] = [];
  const cost = (ls: readonly number[]): number => ls.reduce((m, b, k) => Math.max(m, b + (ls[k - 1] ?? 0)), 0);
  for (const context of tree.contexts) {
    const fresh = pathTo(context.leaf).filter((n) => assigned[n.id] === 0);
    const next = [...levels];
    for (const n of fresh) next[n.depth] = (next[n.depth] ?? 0) + nodeBytes(n);
    for (let k = 0; k < next.length; k++) next[k] ??= 0;
    if (current.length > 0 && cost(next) > budgetBytes) {
      windows.push(current);
      current = [];
      levels = [];
      for (const n of fresh) levels[n.depth] = (levels[n.depth] ?? 0) + nodeBytes(n);
      for (let k = 0; k < levels.length; k++) levels[k] ??= 0;
    } else {
      levels = next;
    }
    for (const n of fresh) assigned[n.id] = 1;
    current.push(context);
  }
  if (current.length > 0) windows.push(current);
  return windows;
}
