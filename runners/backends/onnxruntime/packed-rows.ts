/**
 * Feeds of packed rows (graph/token-mask.ts): one row holds a tree of token sequences, a
 * context's tokens and then its continuations, which share their common first tokens. Each
 * token sees the past and its own ancestors only, and its position id is the past's length
 * plus its depth in the tree, so every sequence reads as if it were alone in the row.
 */

/**
 * Per row, for each new token, the column (among the row's new tokens) of the token before it
 * in its own sequence, or −1 for a first token, which continues the past. Every link points to
 * an earlier column; a plain row is −1, 0, 1, 2, …
 */
export type RowLinks = readonly (Int32Array | readonly number[])[];

/**
 * Position id of every new column of one row: `base` plus the column's depth in the tree of
 * `links`; `links` undefined: plain `base + j`.
 */
export function packedPositions(out: BigInt64Array, at: number, length: number, base: number, links?: Int32Array | readonly number[]): void {
  if (!links) {
    for (let j = 0; j < length; j++) out[at + j] = BigInt(base + j);
    return;
  }
  const depth = new Int32Array(length);
  for (let j = 0; j < length; j++) {
    depth[j] = links[j] < 0 ? 0 : depth[links[j]] + 1;
    out[at + j] = BigInt(base + depth[j]);
  }
}

/**
 * The `token_mask` feed (B,S,T) bool, T = past + S: every past column allowed (the attention
 * mask already hides padding), and among the new columns key j allowed for query i when j is
 * i or one of its ancestors. Rows without links, and padding, allow everything (the graph's own
 * causal and padding masks then decide, as without the input); without links the result is a
 * shared read-only buffer.
 */
export function tokenMask(batch: number, seqLen: number, pastLen: number, lengths: readonly number[], links?: RowLinks): Uint8Array {
  const total = pastLen + seqLen;
  // a forward without links (decode steps, rolling windows, plain prefills) gets a view of one shared all-ones buffer
  if (!links) return allOnes(batch * seqLen * total);
  const mask = new Uint8Array(batch * seqLen * total).fill(1);
  for (let b = 0; b < batch; b++) {
    const l = links[b];
    const n = lengths[b];
    for (let i = 0; i < n; i++) {
      const row = (b * seqLen + i) * total + pastLen;
      mask.fill(0, row, row + n);
      for (let j = i; j >= 0; j = l[j]) mask[row + j] = 1;
    }
  }
  return mask;
}

let ones = new Uint8Array(0);

/** A view of `length` ones, shared by every caller: read it, never write it (onnxruntime only reads its inputs). */
function allOnes(length: number): Uint8Array {
  if (ones.length < length) ones = new Uint8Array(Math.max(length, 2 * ones.length)).fill(1);
  return ones.length === length ? ones : new Uint8Array(ones.buffer, 0, length);
}

/** Checks `links` against the rows: one per token, each −1 or an earlier column. Throws a plain Error (a caller bug). */
export function checkLinks(rows: readonly (readonly number[])[], links: RowLinks): void {
  if (links.length !== rows.length) throw new Error(`forward: links has ${links.length} rows, batch has ${rows.length}`);
  links.forEach((l, b) => {
    if (l.length !== rows[b].length) throw new Error(`forward: links of row ${b} has ${l.length} entries for ${rows[b].length} tokens`);
    for (let j = 0; j < l.length; j++) {
      if (!Number.isInteger(l[j]) || l[j] < -1 || l[j] >= j) throw new Error(`forward: link ${l[j]} of column ${j} in row ${b} is not −1 or an earlier column`);
    }
  });
}
