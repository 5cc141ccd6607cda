/**
 * Packed scoring of a prefix tree's leaves (issue 15 item 3: fewer, fuller calls). A leaf
 * node (a context's last block, which no other context continues) is computed once per
 * request group in one row that also holds every continuation of that group: the node's
 * tokens first, then the continuations minus their last tokens as a trie, each token seeing
 * the context and its own ancestors only (graph/token-mask.ts). One forward then scores what took a
 * context prefill, a tiling of its cache and one continuation pass per width.
 *
 * A row's content is a function of its node and its group's requests, so a request's score
 * depends on which requests of its own group are in the call (in the last float bits: the
 * softmax sums over columns at other offsets), never on other groups. Requests without a
 * group are never packed (prefix-tree-scorer.ts scores them from the node's cache).
 */
import { chunkByWidth, SCORE_ROW_TILE, type RowPlan } from './batching.js';
import type { DecoderSession } from './decoder-session.js';
import { gatherKvRows, type KvRowRef, type KvScratch } from './kv-cache.js';
import type { Totals, TokenizedPair } from './loglikelihood.js';
import type { PrefixNode, PrefixTree } from '../../model/prefix-tree.js';

/** One packed row: a leaf node's tokens, then the trie of a group's continuations. */
export interface PackedRow {
  readonly node: PrefixNode;
  readonly ids: number[];
  /** Per token, the column of the token before it in its own sequence (−1: the node's first). */
  readonly links: Int32Array;
  /** Columns whose logits are read: the node's last, then every continuation column. */
  readonly logitsAt: number[];
  /** [pair index, columns of its fed tokens (continuation minus its last token)]. */
  readonly members: [number, number[]][];
}

/** True when `node` can be packed: a leaf every one of whose requests has a group. */
export function packable(node: PrefixNode, tree: PrefixTree, groups: readonly (string | undefined)[]): boolean {
  return node.children.size === 0 && node.ends.length > 0 && node.ends.every((c) => tree.contexts[c].members.every((i) => groups[i] !== undefined));
}

/**
 * The packed rows of a packable `node`: one per (context ending there, group), groups in
 * request order. A row holds the node's tokens, then each member's continuation minus its
 * last token, in member order, as a trie: tokens two continuations share are fed once.
 */
export function packedRows(node: PrefixNode, tree: PrefixTree, pairs: readonly TokenizedPair[], groups: readonly (string | undefined)[]): PackedRow[] {
  const rows: PackedRow[] = [];
  for (const c of node.ends) {
    const byGroup = new Map<string, number[]>();
    for (const i of tree.contexts[c].members) {
      const list = byGroup.get(groups[i]!);
      if (list) list.push(i);
      else byGroup.set(groups[i]!, [i]);
    }
    for (const members of byGroup.values()) {
      const ids = [...node.ids];
      const links: number[] = node.ids.map((_, j) => j - 1);
      const logitsAt = [node.ids.length - 1];
      // trie edges: "parent column,token" -> column
      const edges = new Map<string, number>();
      const placed: [number, number[]][] = [];
      for (const i of members) {
        const cont = pairs[i].continuationIds;
        const columns: number[] = [];
        let parent = node.ids.length - 1;
        for (let j = 0; j + 1 < cont.length; j++) {
          const key = `${parent},${cont[j]}`;
          let column = edges.get(key);
          if (column === undefined) {
            column = ids.length;
            edges.set(key, column);
            ids.push(cont[j]);
            links.push(parent);
            logitsAt.push(column);
          }
          columns.push(column);
          parent = column;
        }
        placed.push([i, columns]);
      }
      rows.push({ node, ids, links: Int32Array.from(links), logitsAt, members: placed });
    }
  }
  return rows;
}

/**
 * Runs `rows` (nodes of one tree level) in forwards of one width, each on its parent's cache
 * (`parentOf`; none at depth 0), and adds every member's log-probabilities to `totals`.
 */
export async function scorePackedRows(session: DecoderSession, plan: RowPlan, pairs: readonly TokenizedPair[], rows: readonly PackedRow[], parentOf: (node: PrefixNode) => KvRowRef | undefined, totals: Totals, scratch: KvScratch): Promise<void> {
  for (const { width, items: chunk } of chunkByWidth(plan, rows, (r) => r.ids.length, (r) => r.node.start, SCORE_ROW_TILE)) {
    const parents = chunk.map((r) => parentOf(r.node));
    const past = parents[0] === undefined ? undefined : gatherKvRows(parents as KvRowRef[], scratch);
    const out = await session.forward(
      chunk.map((r) => r.ids),
      past,
      width,
      { logitsAt: chunk.map((r) => r.logitsAt), keepCache: false, links: chunk.map((r) => r.links) },
    );
    chunk.forEach((r, row) => {
      const last = r.node.ids.length - 1;
      for (const [i, columns] of r.members) {
        const cont = pairs[i].continuationIds;
        // the logits after fed token j - 1 (the node's last for j = 0) score token j
        for (let j = 0; j < cont.length; j++) totals.add(i, out.logits, out.offset(row, j === 0 ? last : columns[j - 1]), out.vocab, cont[j], j, out.norm);
      }
    });
  }
}
