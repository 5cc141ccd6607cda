import type { TensorGroupBits, WeightStorageRecord } from '../../core/run-record.js';

/** Parameters and stored bytes of a group of tensors with their bits per parameter (0 for an empty group). */
export function tensorGroup(parameters: number, storedBytes: number): TensorGroupBits {
  return { parameters, storedBytes, bitsPerParameter: parameters > 0 ? (storedBytes * 8) / parameters : 0 };
}

/** A file's weight storage from its embedding + head and body totals ([parameters, bytes] each). */
export function weightStorage(embedding: readonly [number, number], body: readonly [number, number], file: string, method: string): WeightStorageRecord {
  const [ep, eb] = embedding;
  const [bp, bb] = body;
  return { ...tensorGroup(ep + bp, eb + bb), file, embedding: tensorGroup(ep, eb), body: tensorGroup(bp, bb), method };
}
