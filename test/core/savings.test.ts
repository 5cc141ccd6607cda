import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasurementRecord, VariantRecord, WeightStorageRecord } from '../../core/run-record.js';
import { PROJECTION_SCALES, projectedWeightBytes, runSavings, usdPerMillionTokens, variantSavings } from '../../core/savings.js';

const test = suite('core/savings');

const group = (parameters: number, bits: number) => ({ parameters, storedBytes: (parameters * bits) / 8, bitsPerParameter: bits });
const weights = (bodyBits: number, embBits: number): WeightStorageRecord => {
  const body = group(3_000_000, bodyBits);
  const embedding = group(1_000_000, embBits);
  return { ...group(4_000_000, (body.storedBytes + embedding.storedBytes) * 8 / 4_000_000), file: 'onnx/model.onnx', body, embedding, method: 'test' };
};

function variant(id: string, extra: Partial<VariantRecord> = {}): VariantRecord {
  return { id, model: 'm', method: 'rtn', params: {}, executionForm: 'packed', dir: 'x', modelSha256: '0'.repeat(64), sizeBytes: 1, ...extra };
}

function measured(variantId: string, sizeBytes: number, peakRssBytes: number, prefillP50Ms: number, tokensPerS: number, joulesPerToken: number): MeasurementRecord {
  const t = (p50Ms: number) => ({ samples: 4, meanMs: p50Ms, p50Ms, p90Ms: p50Ms, p95Ms: p50Ms, p99Ms: p50Ms });
  return {
    state: 'measured', variantId, sizeBytes, peakRssBytes, loadMs: 1, intraOpNumThreads: 1,
    prefill: { ...t(prefillP50Ms), promptTokens: 64 }, decode: { ...t(1000 / tokensPerS), tokens: 16, warmupTokens: 2, tokensPerS },
    energy: { provenance: 'estimated', joules: joulesPerToken * 16, joulesPerToken, tdpWattsPerCore: 10, formula: 'f' },
  };
}

test('the weight projection: 4-bit body and fp32 embedding at 7B, by hand', () => {
  const at7b = PROJECTION_SCALES.find((s) => s.label === '7B')!;
  // Llama 2 7B: 32000 × 4096 embedding + an untied head of the same size.
  assert.is(at7b.embeddingParameters, 262_144_000);
  assert.is(projectedWeightBytes(weights(4.5, 32), at7b), (7e9 - 262_144_000) * 0.5625 + 262_144_000 * 4);
  // An fp32 model is 4 bytes per parameter at every size.
  for (const s of PROJECTION_SCALES) assert.is(projectedWeightBytes(weights(32, 32), s), s.parameters * 4);
  // fp16 at 70B is the literature's ~140 GB; int4 with fp16 group-128 scales (4.125 bits) and fp16 embeddings ≈ 36.9 GB (the literature's ~35 GB).
  const at70b = PROJECTION_SCALES.find((s) => s.label === '70B')!;
  assert.is(projectedWeightBytes(weights(16, 16), at70b), 140e9);
  assert.is(projectedWeightBytes(weights(4.125, 16), at70b), (70e9 - 524_288_000) * (4.125 / 8) + 524_288_000 * 2);
  assert.ok(Math.abs(projectedWeightBytes(weights(4.125, 16), at70b) / 1e9 - 36.87) < 0.01);
});

test('cost per million generated tokens: $3.60/h at 100 tokens/s is $10 (1e6 tokens take 10,000 s at $0.001/s)', () => {
  assert.is(usdPerMillionTokens(3.6, 100), 10);
  assert.ok(Math.abs(usdPerMillionTokens(0.34, 250) - (0.34 * 1e6) / (250 * 3600)) < 1e-12);
});

test('savings of a packed variant against its parent: every figure from the two measurements', () => {
  const parent = variant('m', { method: 'none', executionForm: 'reference', weights: weights(32, 32), kvCapacity: { numLayers: 2, numKvHeads: 4, headDim: 32, types: [{ type: 'fp32', bytesPer1kTokens: 2048000 }] } });
  const child = variant('m/rtn-w4', { comparedTo: 'm', weights: weights(5.125, 32), kvCapacity: parent.kvCapacity });
  const ms = [measured('m', 4000, 100_000, 8, 200, 0.05), measured('m/rtn-w4', 1000, 60_000, 4, 300, 0.04)];
  const s = variantSavings(child, [parent, child], ms, { usdPerHour: 3.6 });
  if (s.state !== 'computed') throw new Error(s.reason);
  assert.equal(s.diskBytes, { variant: 1000, parent: 4000, saving: 0.75 });
  assert.equal(s.peakRssBytes, { variant: 60_000, parent: 100_000, saving: 0.4 });
  // 64 prompt tokens in 4 ms and 8 ms.
  assert.equal(s.prefillTokensPerS, { variant: 16_000, parent: 8_000, speedup: 2 });
  assert.equal(s.decodeTokensPerS, { variant: 300, parent: 200, speedup: 1.5 });
  assert.ok(Math.abs(s.energyJPer1kTokens.variant - 40) < 1e-9 && Math.abs(s.energyJPer1kTokens.parent - 50) < 1e-9);
  assert.is(s.energyJPer1kTokens.provenance, 'estimated');
  assert.equal(s.bitsPerParameter, { variant: child.weights!.bitsPerParameter, parent: 32 });
  assert.is(s.weightProjection!.scales.length, 4);
  assert.ok(Math.abs(s.cost!.usdPerMillionTokens.variant - 1e6 / 300 / 1000) < 1e-9, '$0.001/s over 300 tokens/s');
  assert.match(s.cost!.formula, 'usdPerHour / 3600 / decode tokens per second × 1e6');
  assert.is(s.replayed, false);
});

test('n/a with the reason: simulated, no parent, an unmeasured side', () => {
  const parent = variant('m', { executionForm: 'reference' });
  const sim = variant('m/rtn-w3', { comparedTo: 'm', executionForm: 'simulated' });
  const packed = variant('m/rtn-w4', { comparedTo: 'm' });
  const ms = [measured('m/rtn-w4', 1, 1, 1, 1, 1)];
  const [a, b] = runSavings([parent, sim, packed], ms, undefined);
  assert.is(a.state === 'not-applicable' && a.reason.startsWith('n/a (simulated)'), true);
  assert.is(b.state === 'not-applicable' && b.reason, 'parent m was not measured (measurement off)');
  assert.is(runSavings([parent], ms, undefined).length, 0, 'a model standing on its own has no savings entry');
});

test.run();
