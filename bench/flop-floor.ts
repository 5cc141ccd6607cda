/**
 * The FLOP floor of a set of loglikelihood requests: the work a perfect scorer cannot avoid.
 * Every distinct token prefix (a node of the radix tree of context+continuation ids, the
 * last continuation token excluded since nothing reads its output) is computed once, with
 * attention over its position; the LM head only where a continuation token is scored.
 * Multiply-add = 2 FLOPs.
 */

/** The shape fields the count needs (a Llama-style decoder). */
export interface DecoderShape {
  readonly hidden: number;
  readonly intermediate: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly vocab: number;
}

/** Work the requests must cost. */
export interface FlopFloor {
  /** Distinct prefixes that must be computed (tokens through the layers). */
  readonly tokens: number;
  /** Of which need the LM head (scored positions). */
  readonly scoredTokens: number;
  readonly flops: number;
}

/** FLOPs of one token through the layers, without attention over the cache and without the LM head. */
export function layerFlopsPerToken(s: DecoderShape): number {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  return 2 * s.layers * (s.hidden * q + 2 * s.hidden * kv + q * s.hidden + 3 * s.hidden * s.intermediate);
}

/** Counts the radix tree of `pairs` (token ids) and its FLOPs on `shape`. */
export function flopFloor(pairs: readonly { readonly contextIds: readonly number[]; readonly continuationIds: readonly number[] }[], shape: DecoderShape): FlopFloor {
  type Node = Map<number, Node>;
  const root: Node = new Map();
  const scored = new Set<Node>();
  let tokens = 0;
  let attentionFlops = 0;
  for (const { contextIds, continuationIds } of pairs) {
    const ids = [...contextIds, ...continuationIds];
    let node = root;
    for (let p = 0; p < ids.length - 1; p++) {
      let next = node.get(ids[p]);
      if (!next) {
        node.set(ids[p], (next = new Map()));
        tokens++;
        // QKᵀ and A·V over p+1 keys, every layer and head
        attentionFlops += 4 * shape.layers * shape.heads * shape.headDim * (p + 1);
      }
      node = next;
      if (p >= contextIds.length - 1) scored.add(node);
    }
  }
  const flops = tokens * layerFlopsPerToken(shape) + attentionFlops + scored.size * 2 * shape.hidden * shape.vocab;
  return { tokens, scoredTokens: scored.size, flops };
}
