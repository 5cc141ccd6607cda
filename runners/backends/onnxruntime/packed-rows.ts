/**
 * Feeds of packed rows (graph/token-mask.ts): one row holds a context's tokens followed by
 * several continuations ("slots"), each of which sees the context and its own earlier
 * tokens only and restarts its position ids at the context's end.
 */

/**
 * Per row, the owner of each new column: −1 for the shared part (the context's tokens,
 * which come first), k ≥ 0 for the tokens of slot k (each slot's tokens contiguous).
 */
export type RowOwners = readonly (Int32Array | readonly number[])[];

/**
 * Position id of every new column of one row: the shared part counts from `base`, and every
 * slot restarts where the shared part ends. `owners` undefined: plain `base + j`.
 */
export function packedPositions(out: BigInt64Array, at: number, length: number, base: number, owners?: Int32Array | readonly number[]): void {
  if (!owners) {
    for (let j = 0; j < length; j++) out[at + j] = BigInt(base + j);
    return;
  }
  let shared = 0;
  while (shared < length && owners[shared] === -1) shared++;
  let slot = -1;
  let offset = 0;
  for (let j = 0; j < length; j++) {
    const o = owners[j];
    if (o === -1) {
      if (j >= shared) throw new Error('packed row: a shared column after a slot');
      out[at + j] = BigInt(base + j);
      continue;
    }
    if (o !== slot) {
      slot = o;
      offset = 0;
    }
    out[at + j] = BigInt(base + shared + offset++);
  }
}

/**
 * The `token_mask` feed (B,S,T) bool, T = past + S: every past column allowed (the
 * attention mask already hides padding), and among the new columns key j allowed for query
 * i when it is shared or in i's own slot (the graph's causal mask adds j ≤ i). Rows without
 * owners allow everything, so the graph behaves as without the input.
 */
export function tokenMask(batch: number, seqLen: number, pastLen: number, lengths: readonly number[], owners?: RowOwners): Uint8Array {
  const total = pastLen + seqLen;
  const mask = new Uint8Array(batch * seqLen * total).fill(1);
  if (!owners) return mask;
  for (let b = 0; b < batch; b++) {
    const o = owners[b];
    const n = lengths[b];
    for (let i = 0; i < n; i++) {
      const own = o[i];
      const row = (b * seqLen + i) * total + pastLen;
      for (let j = 0; j < n; j++) {
        const key = o[j];
        if (key !== -1 && key !== own) mask[row + j] = 0;
      }
    }
  }
  return mask;
}

/**
 * Checks `owners` against the rows: one entry per token, shared columns first, each slot's
 * columns contiguous. Throws a plain Error (a caller bug, not bad input).
 */
export function checkOwners(rows: readonly (readonly number[])[], owners: RowOwners): void {
  if (owners.length !== rows.length) throw new Error(`forward: owners has ${owners.length} rows, batch has ${rows.length}`);
  owners.forEach((o, b) => {
    if (o.length !== rows[b].length) throw new Error(`forward: owners of row ${b} has ${o.length} entries for ${rows[b].length} tokens`);
    const seen = new Set<number>();
    let previous = -1;
    for (let j = 0; j < o.length; j++) {
      if (o[j] === previous) continue;
      if (o[j] === -1 || seen.has(o[j])) throw new Error(`forward: owners of row ${b} are not a shared part followed by contiguous slots`);
      seen.add(o[j]);
      previous = o[j];
    }
  });
}
