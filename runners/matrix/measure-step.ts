/**
 * The measurement stage: after every accuracy cell, with no worker busy, each variant
 * is measured alone (runners/measure runs it in its own child process), one at a time.
 * A measurement is reused from the cache when the variant bytes, the settings and the
 * machine are the same (config `measurement.reuse`, default on); a reused record says
 * `replayed: true`, so history never mistakes a replay for a repeat measurement.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '../../core/errors.js';
import type { HardwareFingerprint, MeasurementRecord } from '../../core/run-record.js';
import { measureVariant, type MeasureSettings } from '../measure/index.js';
import { ensureWritableDir, writeFileAtomic } from '../../core/atomic-write.js';
import { readRuntimeSettings } from '../backends/open-model.js';
import type { PreparedVariant } from './variant-cache.js';

/** Why a kv-cache variant has no speed or memory figure. */
export const KV_SIMULATED_REASON = 'n/a (simulated): the KV cache is quantized then dequantized to fp32 between steps; no quantized-cache kernel ran';

/** Measures every variant (errored variants get an errored record); returns them in variant order. */
export async function measureVariants(
  variants: readonly PreparedVariant[],
  settings: MeasureSettings,
  options: { readonly cacheDir: string; readonly reuse: boolean; readonly hardware: HardwareFingerprint },
  log: (line: string) => void,
): Promise<MeasurementRecord[]> {
  const out: MeasurementRecord[] = [];
  const started = performance.now();
  let fresh = 0;
  for (const v of variants) {
    if (v.state === 'errored') {
      out.push({ state: 'errored', variantId: v.record.id, error: v.error });
      continue;
    }
    // the same weights with another runtime setting (a llama.cpp KV cache type) are another measurement
    const runtime = readRuntimeSettings(v.dir);
    const key = createHash('sha256').update(JSON.stringify({ variant: v.record.modelSha256, form: v.record.executionForm, settings, hardware: options.hardware, ...(runtime ? { runtime } : {}) })).digest('hex');
    const file = join(options.cacheDir, 'measurements', `${key}.json`);
    if (options.reuse && existsSync(file)) {
      try {
        const cached = JSON.parse(readFileSync(file, 'utf8')) as MeasurementRecord;
        out.push(cached.state === 'measured' ? { ...cached, variantId: v.record.id, replayed: true } : { ...cached, variantId: v.record.id });
        continue;
      } catch {
        // a torn cache file is measured again
      }
    }
    let m: MeasurementRecord;
    try {
      m = await measureVariant({ variantId: v.record.id, modelDir: v.dir, executionForm: v.record.executionForm, sizeBytes: v.record.sizeBytes }, settings);
    } catch (e) {
      m = { state: 'errored', variantId: v.record.id, error: messageOf(e) };
    }
    if (m.state === 'measured') {
      ensureWritableDir(join(options.cacheDir, 'measurements'), { flag: '--cache-dir' });
      writeFileAtomic(file, `${JSON.stringify(m)}\n`, { flag: '--cache-dir' });
      fresh += 1;
    }
    // the generic reason speaks of dequantized weights; a kv-cache variant's weights are the base model's
    out.push(m.state === 'not-applicable' && v.record.method === 'kv-cache' ? { ...m, reason: KV_SIMULATED_REASON } : m);
  }
  // One line for the stage, not one per variant: what follows the progress bar stays short.
  const replayed = out.filter((m) => m.state === 'measured' && m.replayed).length;
  log(`measured ${fresh} variant(s) in ${((performance.now() - started) / 1000).toFixed(1)} s, ${replayed} replayed from the cache`);
  return out;
}
