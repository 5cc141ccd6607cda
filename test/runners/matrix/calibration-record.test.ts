import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calibrationRecord, fairPruneCalibration } from '../../../runners/matrix/calibration-record.js';
import type { CalibrationProvenance } from '../../../runners/compress/calibration-set.js';
import type { FairPruneRecord } from '../../../runners/compress/fairprune-variant.js';

const provenance = (source: string, sha: string, tokens: number): CalibrationProvenance => ({
  source, kind: 'suite', textSha256: sha, sha256: `${sha}-ids`, nSequences: tokens / 8, seqLen: 8, seed: 0, mode: 'documents', split: 'lines', tokens,
});

test('a bundled-corpus calibration keeps its warning; a suite one does not', () => {
  const bundled = { ...provenance('bundled-corpus:x', 'aa', 64), kind: 'bundled' as const };
  assert.is(calibrationRecord(bundled, 'not its domain').warning, 'not its domain');
  assert.is(calibrationRecord(provenance('suite:s', 'bb', 64), 'not its domain').warning, undefined);
});

test("FairPrune: the run record names the protected set's hashes, the others' source and hash, and warns in-sample", () => {
  const f = {
    suite: 'fairness', sliceTag: 'dialect', protect: 'sco', others: ['en'], beta: 0.2,
    calibration: { protected: provenance('suite:fairness[dialect=sco]', 'p1', 80), others: provenance('suite:fairness[dialect≠sco]', 'o1', 160) },
    layers: [],
  } as unknown as FairPruneRecord;
  const r = fairPruneCalibration(f);
  assert.is(r.kind, 'suite');
  assert.is(r.textSha256, 'p1');
  assert.is(r.sha256, 'p1-ids');
  assert.is(r.tokens, 80);
  assert.ok(r.source.includes('suite:fairness[dialect=sco]') && r.source.includes('o1') && r.source.includes('160 tokens'), r.source);
  assert.match(r.warning ?? '', /in-sample/u);
});

test.run();
