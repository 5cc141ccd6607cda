import type { CalibrationRecord } from '../../core/run-record.js';
import type { FairPruneRecord } from '../compress/fairprune-variant.js';
import type { CalibrationProvenance } from '../compress/calibration-set.js';

/** Where a variant's calibration text came from, for the run record (compression.json's provenance). */
export function calibrationRecord(p: CalibrationProvenance, warning: string | undefined): CalibrationRecord {
  const kind = p.kind ?? (p.source.startsWith('bundled-corpus:') ? 'bundled' : p.source.startsWith('suite:') ? 'suite' : 'textFile');
  return {
    kind, source: p.source, textSha256: p.textSha256, sha256: p.sha256, nSequences: p.nSequences, seqLen: p.seqLen, ...(p.seed !== undefined ? { seed: p.seed } : {}), tokens: p.tokens,
    ...(warning && kind === 'bundled' ? { warning } : {}),
  };
}

/**
 * FairPrune calibrates on two sets of one suite's prompts (the protected slice and the others), kept
 * under compression.json's `fairprune.calibration`: the run record names the protected set (hashes
 * and counts are that set's), lists the others' source and text hash, and warns that the suite's
 * own prompts are the calibration data.
 */
export function fairPruneCalibration(f: FairPruneRecord): CalibrationRecord {
  const p = f.calibration.protected;
  const o = f.calibration.others;
  const base = calibrationRecord(p, undefined);
  return {
    ...base,
    source: `${p.source} (protected slice ${f.protect}; the others: ${o.source}, text sha256 ${o.textSha256}, ${o.tokens} tokens)`,
    warning: `FairPrune calibrates on the prompts of suite ${f.suite}: a run that also evaluates ${f.suite} scores this variant in-sample`,
  };
}
