import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HardwareFingerprint, MeasurementRecord, VariantRecord } from '../../../core/run-record.js';
import { measureVariants } from '../../../runners/matrix/measure-step.js';
import type { PreparedVariant } from '../../../runners/matrix/variant-cache.js';
import { tempDir } from '../../reports/compare/synthetic-run.js';

const test = suite('runners/matrix/measure-step');

const HARDWARE: HardwareFingerprint = { cpuModel: 'cpu', cpuFlags: [], logicalCores: 1, memoryBytes: 1, os: 'linux', node: 'v20', onnxruntime: '1', executionProvider: 'cpu' };
const VARIANT: VariantRecord = { id: 'teacher/q', model: 'teacher', method: 'rtn', params: {}, executionForm: 'packed', dir: 'x', modelSha256: 'f'.repeat(64), sizeBytes: 10 };
const timing = { samples: 4, meanMs: 2, p50Ms: 2, p90Ms: 3, p95Ms: 3, p99Ms: 4 };
const STORED: MeasurementRecord = {
  state: 'measured', variantId: 'old-id', sizeBytes: 10, peakRssBytes: 100, loadMs: 1, intraOpNumThreads: 1,
  prefill: { ...timing, promptTokens: 8 }, decode: { ...timing, tokens: 4, warmupTokens: 1, tokensPerS: 500 },
  energy: { provenance: 'rapl', joules: 1, joulesPerToken: 0.25 },
};

test('a measurement replayed from the cache is marked replayed: true (the stored file is not)', async () => {
  const cacheDir = tempDir('measure-replay');
  const settings = { decodeTokens: 4 };
  // The key measure-step computes: variant bytes, form, settings and machine.
  const key = createHash('sha256').update(JSON.stringify({ variant: VARIANT.modelSha256, form: VARIANT.executionForm, settings, hardware: HARDWARE })).digest('hex');
  mkdirSync(join(cacheDir, 'measurements'), { recursive: true });
  writeFileSync(join(cacheDir, 'measurements', `${key}.json`), JSON.stringify(STORED));
  const prepared = { state: 'ready', plan: {}, record: VARIANT, hash: 'h', dir: '/nonexistent', fromCache: true } as unknown as PreparedVariant;
  const [m] = await measureVariants([prepared], settings, { cacheDir, reuse: true, hardware: HARDWARE }, () => undefined);
  assert.equal(m, { ...STORED, variantId: 'teacher/q', replayed: true });
});

test.run();
