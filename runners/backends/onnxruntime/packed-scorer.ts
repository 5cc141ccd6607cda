/**
 * Packed scoring of a prefix tree's leaves (issue 15 item 3: fewer, fuller calls). A leaf
 * node (a context's last block, which no other context continues) is computed once per
 * request group in one row that also holds every continuation of that group: tail tokens
 * first, then each distinct continuation minus its last token as a slot that sees the
 * context and itself only (graph/token-mask.ts). One forward then scores what took a
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

/** One packed row: a leaf node's tokens, then one slot per distinct continuation of a group. */
export interface PackedRow {
  readonly node: PrefixNode;
  readonly ids: number[];
  readonly owners: Int32Array;
  /** Columns whose logits are read: the tail's last, then every slot column. */
  readonly logitsAt: number[];
  /** [pair index, column of its slot's first token (−1: a one-token continuation)]. */
  readonly members: [number, number][];
}

/** True when `node` can be packed: a leaf every one of whose requests has a group. */
export function packable(node: PrefixNode, tree: PrefixTree, groups: readonly (string | undefined)[]): boolean {
  return node.children.size === 0 && node.ends.length > 0 && node.ends.every((c) => tree.contexts[c].members.every((i) => groups[i] !== undefined));
}

/** The packed rows of a packable `node`: one per (context ending there, group), groups in request order. */
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
      const owners: number[] = node.ids.map(() => -1);
      const logitsAt = [node.ids.length - 1];
      const slots = new Map<string, number>();
      const placed: [number, number][] = [];
      for (const i of members) {
        const fed = pairs[i].continuationIds.slice(0, -1);
        if (fed.length === 0) {
          placed.push([i, -1]);
          continue;
        }
        const key = fed.join(',');
        let start = slots.get(key);
        if (start === undefined) {
          start = ids.length;
          slots.set(key, start);
          const slot = slots.size - 1;
          for (const t of fed) {
            logitsAt.push(ids.length);
            ids.push(t);
            owners.push(slot);
          }
        }
        placed.push([i, start]);
      }
      rows.push({ node, ids, owners: Int32Array.from(owners), logitsAt, members: placed });
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
      { logitsAt: chunk.map((r) => r.logitsAt), keepCache: false, owners: chunk.map((r) => r.owners) },
    );
    chunk.forEach((r, row) => {
      const last = r.node.ids.length - 1;
      for (const [i, start] of r.members) {
        const cont = pairs[i].continuationIds;
        for (let j = 0; j < cont.length; j++) totals.add(i, out.logits, out.offset(row, j === 0 ? last : start + j - 1), out.vocab, cont[j], j, out.lse);
      }
    });
  }
}
