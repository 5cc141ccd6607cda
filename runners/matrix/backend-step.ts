/**
 * Records which runtime runs each ready variant (`variants[].backend` in the run record):
 * onnxruntime or llama.cpp, with versions, the CPU library and the KV cache. Suites,
 * statistics, gate and reports only read it; nothing branches on it.
 */
import { messageOf } from '../../core/errors.js';
import { describeVariantBackend } from '../backends/variant-backend.js';
import type { PreparedVariant } from './variant-cache.js';

/** The variants with `record.backend` set; one that cannot be described becomes errored. */
export async function describeBackends(variants: readonly PreparedVariant[], threads: number, log: (line: string) => void): Promise<PreparedVariant[]> {
  const out: PreparedVariant[] = [];
  for (const v of variants) {
    if (v.state !== 'ready') {
      out.push(v);
      continue;
    }
    try {
      out.push({ ...v, record: { ...v.record, backend: await describeVariantBackend(v.dir, threads) } });
    } catch (e) {
      log(`${v.record.id}: its runtime cannot be described (${messageOf(e)}); the variant is not scored`);
      out.push({ state: 'errored', plan: v.plan, record: v.record, error: `runtime unavailable: ${messageOf(e)}` });
    }
  }
  return out;
}
