/** Checks on the compression.json a method wrote to disk (what the run record and change record read). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { CalibrationProvenance } from '../../../runners/compress/calibration-set.js';
import type { CompressionRecord } from '../../../runners/compress/manifest.js';

/**
 * compression.json in `outDir` records `params` (resolved, defaults included), one entry per
 * compressed weight in `layers` (`layerCount` of the record) with finite statistics, and the
 * sha256 of every calibration set the method used (`calibrations`; default the top-level one).
 */
export function assertWrittenRecord(
  outDir: string,
  params: Readonly<Record<string, unknown>>,
  layerCount: (r: CompressionRecord) => number,
  calibrations: (r: CompressionRecord) => readonly (CalibrationProvenance | null)[] = (r) => [r.calibration],
): CompressionRecord {
  const r = JSON.parse(readFileSync(join(outDir, 'compression.json'), 'utf8')) as CompressionRecord;
  for (const [k, v] of Object.entries(params)) assert.equal(r.params[k], v, `params.${k}`);
  assert.is(r.layers.length, layerCount(r), 'one statistics entry per compressed weight');
  for (const l of r.layers) {
    assert.ok(l.K > 0 && l.N > 0, l.weight);
    for (const [k, v] of Object.entries(l)) if (typeof v === 'number') assert.ok(Number.isFinite(v), `${l.weight}.${k} = ${v}`);
  }
  const sets = calibrations(r);
  assert.ok(sets.length > 0);
  for (const c of sets) {
    assert.ok(c, 'a calibration provenance is recorded');
    assert.match(c!.sha256, /^[0-9a-f]{64}$/u);
    assert.match(c!.textSha256, /^[0-9a-f]{64}$/u);
    assert.ok(c!.tokens > 0);
  }
  return r;
}
