/**
 * Bits per parameter a GGUF file really stores (issue 24): every tensor is a weight; its
 * parameters are the product of its dims and its bytes are the ggml blocks (block scales,
 * mins and sub-block scales included), as the header sizes them.
 */
import type { TensorGroupBits, WeightStorageRecord } from '../../core/run-record.js';
import type { GgufFile } from '../formats/gguf/index.js';

/** llama.cpp's names of the token embedding and the output head. */
const EMBEDDING_TENSORS: ReadonlySet<string> = new Set(['token_embd.weight', 'output.weight']);

function group(parameters: number, storedBytes: number): TensorGroupBits {
  return { parameters, storedBytes, bitsPerParameter: parameters > 0 ? (storedBytes * 8) / parameters : 0 };
}

/** Counts a GGUF file's parameters and tensor bytes, split into embedding + head and body; `file` is recorded as given. */
export function ggufWeightBits(gguf: GgufFile, file: string): WeightStorageRecord {
  const sums = { embedding: [0, 0], body: [0, 0] };
  for (const t of gguf.tensors) {
    const side = EMBEDDING_TENSORS.has(t.name) ? sums.embedding : sums.body;
    side[0] += t.dims.reduce((a, b) => a * b, 1);
    side[1] += t.bytes;
  }
  const [ep, eb] = sums.embedding;
  const [bp, bb] = sums.body;
  return {
    ...group(ep + bp, eb + bb),
    file,
    embedding: group(ep, eb),
    body: group(bp, bb),
    method: 'GGUF tensors: parameters are each tensor\'s element count, bytes its ggml blocks as the header sizes them (block scales and mins included); token_embd.weight and output.weight are the embedding and head',
  };
}
