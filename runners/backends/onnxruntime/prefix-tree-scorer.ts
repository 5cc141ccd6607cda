/**
 * Loglikelihood through the prefix tree (runners/model/prefix-tree.ts): every node is prefilled once, on
 * top of its parent's keys and values gathered from the forward that made them, and every
 * context's continuations are scored from its last node's cache (loglikelihood.ts).
 */
import type { LoglikelihoodResponse, TokenObserver } from '../../../core/requests.js';
import { chunkByWidth, rowWidth, SCORE_ROW_TILE, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { gatherKvRows, KvScratch, selectKvRows, type KvRowRef } from './kv-cache.js';
import { scoreContinuations, Totals, type ContextEnd, type TokenizedPair } from './loglikelihood.js';
import { packable, packedRows, scorePackedRows } from './packed-scorer.js';
import { buildPrefixTree, FINE_BLOCK, pathTo, planWindows, PREFIX_BLOCK, type PrefixNode } from '../../model/prefix-tree.js';

/**
 * Default bound on the node caches one call holds (bytes of keys and values): the teacher
 * (8 KiB a token) keeps 16k tokens' worth, i.e. 64 full-length contexts per level pair.
 */
export const DEFAULT_PREFIX_TREE_BYTES = 128 * 1024 * 1024;

/** Options of {@link scorePrefixTree}. */
export interface PrefixTreeOptions {
  /** Tokens per level (default {@link PREFIX_BLOCK}; Infinity: one node per distinct context). */
  readonly block?: number;
  /** Tokens per level inside the first block (default {@link FINE_BLOCK} with the default block, else the block). */
  readonly fine?: number;
  /** Bound on the node caches held at once (default {@link DEFAULT_PREFIX_TREE_BYTES}). */
  readonly budgetBytes?: number;
  readonly observe?: TokenObserver;
  /**
   * Per pair, its request group (LoglikelihoodRequest.group). On a session that packs rows, a
   * leaf whose requests all have one is scored in packed rows (packed-scorer.ts).
   */
  readonly groups?: readonly (string | undefined)[];
}

/**
 * Scores `pairs` through their prefix tree. Contexts run in windows of the tree order
 * ({@link planWindows}); inside a window, level by level: a level's nodes run in forwards
 * of one width (their past is their depth × block, padding-free), contexts that end at a
 * node have their continuations scored right away, and a level's caches are dropped once
 * the next level is computed, except the nodes later windows descend from (one chain, by
 * the tree order), which are copied out and kept until their last descendant is done.
 * Every node is computed once per call. Which forwards a pair takes part in depends on its
 * own tokens only (grid split points, widths from its own lengths), so its score is the same
 * in any batch. Under a plan whose rows interact every context is one node.
 */
export async function scorePrefixTree(session: DecoderSession, pairs: readonly TokenizedPair[], plan: RowPlan, options: PrefixTreeOptions = {}): Promise<LoglikelihoodResponse[]> {
  const totals = new Totals(pairs.length, options.observe);
  // packed rows need a graph with token_mask, and rows that do not interact
  const groups = session.packsRows && !plan.alone && options.groups?.some((g) => g !== undefined) ? options.groups : undefined;
  // rows that interact (a per-tensor quantizer) would see other statistics in a cut context: whole contexts only
  const block = plan.alone ? Infinity : (options.block ?? PREFIX_BLOCK);
  const tree = buildPrefixTree(pairs, block, options.fine ?? (block === PREFIX_BLOCK ? FINE_BLOCK : block));
  const { numLayers, numKvHeads, headDim } = session.config;
  const tokenBytes = 2 * numLayers * numKvHeads * headDim * 4;
  const nodeBytes = (n: PrefixNode): number => (n.start + rowWidth(plan, n.ids.length, SCORE_ROW_TILE)) * tokenBytes;
  const windows = planWindows(tree, nodeBytes, options.budgetBytes ?? DEFAULT_PREFIX_TREE_BYTES);
  // contexts of windows not started yet under each node: > 0 means a later window needs its cache
  const later = new Int32Array(tree.nodes.length);
  for (const c of tree.contexts) for (const n of pathTo(c.leaf)) later[n.id]++;
  const live = new Map<number, KvRowRef>();
  // gathered pasts feed one forward each and are never kept: their buffers are reused
  const scratch = new KvScratch();
  // a kept node gets a cache of its own, so the forward that made it can be freed
  const release = (nodes: readonly PrefixNode[]): void => {
    for (const n of nodes) {
      const ref = live.get(n.id);
      if (!ref) continue;
      if (later[n.id] === 0) live.delete(n.id);
      else if (ref.cache.batch > 1) live.set(n.id, { cache: selectKvRows(ref.cache, [ref.row]), row: 0 });
    }
  };
  for (const window of windows) {
    const levels: PrefixNode[][] = [];
    const queued = new Set<number>();
    for (const c of window) {
      for (const n of pathTo(c.leaf)) {
        later[n.id]--;
        if (live.has(n.id) || queued.has(n.id)) continue;
        queued.add(n.id);
        (levels[n.depth] ??= []).push(n);
      }
    }
    const carried = [...live.keys()].map((id) => tree.nodes[id]);
    for (let depth = 0; depth < levels.length; depth++) {
      const packed: PrefixNode[] = [];
      const plain: PrefixNode[] = [];
      for (const n of levels[depth] ?? []) (groups && packable(n, tree, groups) ? packed : plain).push(n);
      for (const { width, items: chunk } of chunkByWidth(plan, plain, (n) => n.ids.length, (n) => n.start, SCORE_ROW_TILE)) {
        const past = depth === 0 ? undefined : gatherKvRows(chunk.map((n) => live.get(n.parent!.id)!), scratch);
        const logitsAt = chunk.map((n) => (n.ends.length > 0 ? [n.ids.length - 1] : []));
        const out = await session.forward(chunk.map((n) => n.ids), past, width, { logitsAt });
        chunk.forEach((n, row) => live.set(n.id, { cache: out.cache!, row }));
        const ends: ContextEnd[] = [];
        chunk.forEach((n, row) => n.ends.forEach((c) => ends.push({ row, last: n.ids.length - 1, members: tree.contexts[c].members })));
        await scoreContinuations(session, plan, pairs, out, ends, totals, scratch);
      }
      if (packed.length > 0) {
        const rows = packed.flatMap((n) => packedRows(n, tree, pairs, groups!));
        await scorePackedRows(session, plan, pairs, rows, (n) => (n.parent ? live.get(n.parent.id) : undefined), totals, scratch);
      }
      release(levels[depth - 1] ?? []);
    }
    release(levels[levels.length - 1] ?? []);
    release(carried);
  }
  return totals.responses(pairs);
}

/**
 * The shared-context scorer: each distinct context prefilled whole (one node), its
 * continuations scored from its cache. The path for graphs whose rows interact (cutting a
 * context would change a per-tensor quantizer's statistics) and the reference the tree is
 * compared with.
 */
export function scoreSharedPrefix(session: DecoderSession, pairs: readonly TokenizedPair[], plan: RowPlan, observe?: TokenObserver, budgetBytes?: number): Promise<LoglikelihoodResponse[]> {
  return scorePrefixTree(session, pairs, plan, { block: Infinity, budgetBytes, observe });
}
