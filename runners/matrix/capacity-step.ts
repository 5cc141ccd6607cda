/**
 * Records what each ready variant's file stores and what its KV cache takes
 * (`variants[].weights` and `variants[].kvCapacity`, issue 24). A file that cannot be
 * counted leaves the fields out and says why in the log: the variant is still scored.
 */
import { messageOf } from '../../core/errors.js';
import { variantCapacity } from '../measure/capacity.js';
import type { PreparedVariant } from './variant-cache.js';

/** The variants with `record.weights` and `record.kvCapacity` set where their files could be read. */
export function describeCapacity(variants: readonly PreparedVariant[], log: (line: string) => void): PreparedVariant[] {
  return variants.map((v) => {
    if (v.state !== 'ready') return v;
    try {
      const { weights, kvCapacity } = variantCapacity(v.dir, v.record.backend);
      return { ...v, record: { ...v.record, weights, kvCapacity } };
    } catch (e) {
      log(`${v.record.id}: its weights could not be counted (${messageOf(e)}); no bits per parameter or KV capacity for it`);
      return v;
    }
  });
}
