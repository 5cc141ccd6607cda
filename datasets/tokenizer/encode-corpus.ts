/**
 * Training ids produced by the runtime tokenizer itself (`@huggingface/tokenizers`
 * reading the tokenizer.json we wrote): each document is `<s> … </s>`, stored as
 * little-endian uint16.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { InfraError } from '../../core/errors.js';

/** Loads a tokenizer from its JSON objects. */
export function runtimeTokenizer(json: object, config: object): Tokenizer {
  return new Tokenizer(json, config);
}

/** Encodes documents to one uint16 stream: `<s>` doc `</s>` for each document. */
export function encodeDocs(tok: Tokenizer, docs: readonly string[], eosId: number): Uint16Array {
  const parts: number[][] = [];
  let total = 0;
  for (const d of docs) {
    const ids = tok.encode(d).ids;
    ids.push(eosId);
    total += ids.length;
    parts.push(ids);
  }
  const out = new Uint16Array(total);
  let at = 0;
  for (const p of parts) {
    for (const id of p) {
      if (id > 0xffff) throw new InfraError(`token id ${id} does not fit uint16`);
      out[at++] = id;
    }
  }
  return out;
}

/** The bytes of a uint16 array in little-endian order, whatever the host's endianness. */
export function uint16LeBytes(ids: Uint16Array): Uint8Array {
  const buf = new Uint8Array(ids.length * 2);
  const view = new DataView(buf.buffer);
  ids.forEach((v, i) => view.setUint16(i * 2, v, true));
  return buf;
}
