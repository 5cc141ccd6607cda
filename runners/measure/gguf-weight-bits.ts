/**
 * Bits per parameter a GGUF file really stores (issue 24): every tensor is a weight; its
 * parameters are the product of its dims and its bytes are the ggml blocks (block scales,
 * mins and sub-block scales included), as the header sizes them.
 */
import type { WeightStorageRecord } from '../../core/run-record.js';
import { weightStorage } from './tensor-group.js';
import type { GgufFile } from '../formats/gguf/index.js';

/** llama.cpp's names of the token embedding and the output head. */
const EMBEDDING_TENSORS: ReadonlySet<string> = new Set(['token_embd.weight', 'output.weight']);


/** Counts a GGUF file's parameters and tensor bytes, split into embedding + head and body; `file` is recorded as given. */
export function ggufWeightBits(gguf: GgufFile, file: string): WeightStorageRecord {
  const sums: Record<'embedding' | 'body', [number, number]> = { embedding: [0, 0], body: [0, 0] };
  for (const t of gguf.tensors) {
    const side = EMBEDDING_TENSORS.has(t.name) ? sums.embedding : sums.body;
    side[0] += t.dims.reduce((a, b) => a * b, 1);
    side[1] += t.bytes;
  }
  return weightStorage(sums.embedding, sums.body, file, 'GGUF tensors: parameters are each tensor\'s element count, bytes its ggml blocks as the header sizes them (block scales and mins included); token_embd.weight and output.weight are the embedding and head');
}
