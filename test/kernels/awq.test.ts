import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { awqScales, quantizeAwq, scaleRows } from '../../kernels/awq.js';
import { outputErrorRatio } from '../../kernels/error-stats.js';
import { quantizeRtn } from '../../kernels/rtn.js';
import { correlatedInputs, inputError, naiveMatmul, randomWeight } from './fixtures.js';

const test = suite('kernels/awq');

test('scales: mean|x|^α normalised by sqrt(max·min) (computed by hand)', () => {
  // mean|x| = [1, 4], α = 0.5 -> [1, 2] / sqrt(2) = [0.70711, 1.41421]; α = 0 -> all 1.
  const s = awqScales(Float64Array.from([1, 4]), 0.5);
  assert.ok(Math.abs(s[0] - Math.SQRT1_2) < 1e-6 && Math.abs(s[1] - Math.SQRT2) < 1e-6);
  assert.equal([...awqScales(Float64Array.from([3, 0.2]), 0)], [1, 1]);
});

test('the layer is unchanged before rounding: X·W == (X/s)·(s·W) within 1e-5', () => {
  const K = 64;
  const N = 16;
  const T = 50;
  const W = randomWeight(1, K, N);
  const X = correlatedInputs(1, T, K, { outliers: 4 });
  const r = quantizeAwq(W, K, N, X, { bits: 4, group: 32 });
  const Xs = X.map((v, i) => v / r.channelScales[i % K]);
  const a = naiveMatmul(X, T, K, W, N);
  const b = naiveMatmul(Xs, T, K, scaleRows(W, K, N, r.channelScales), N);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(a[i])), `element ${i}`);
});

test('effective weight = Q(s·W)/s, and the codes quantize s·W with RTN', () => {
  const K = 64;
  const N = 8;
  const W = randomWeight(2, K, N);
  const X = correlatedInputs(2, 40, K, { outliers: 2 });
  const r = quantizeAwq(W, K, N, X, { bits: 3, group: 16 });
  const rtn = quantizeRtn(scaleRows(W, K, N, r.channelScales), K, N, { bits: 3, granularity: 16 });
  assert.equal([...r.codes], [...rtn.codes]);
  for (let i = 0; i < K * N; i++) assert.is(r.effectiveWeight[i], Math.fround(rtn.dequantized[i] / r.channelScales[Math.floor(i / N)]));
});

test('partial last group (K = 172, groups 32 and 64) and the narrow grid: codes are RTN of s·W', () => {
  const K = 172;
  const N = 12;
  const W = randomWeight(12, K, N);
  const X = correlatedInputs(12, 64, K, { outliers: 3 });
  for (const group of [32, 64]) {
    for (const [symmetric, symGrid] of [[false, 'full'], [true, 'narrow']] as const) {
      const r = quantizeAwq(W, K, N, X, { bits: 4, group, symmetric, symGrid });
      const rtn = quantizeRtn(scaleRows(W, K, N, r.channelScales), K, N, { bits: 4, symmetric, symGrid, granularity: group });
      assert.is(r.scales.length, N * Math.ceil(K / group));
      assert.is(r.grid, rtn.grid);
      assert.equal([...r.codes], [...rtn.codes], `group ${group} ${symGrid}`);
      assert.equal([...r.scales], [...rtn.scales]);
      // The search sample is all 64 tokens and 12 columns here, so the chosen α is no worse than α = 0 (RTN).
      assert.ok(r.stats.outputError! <= r.searchErrors[0] * (1 + 1e-9), `group ${group}: awq ${r.stats.outputError} vs rtn ${r.searchErrors[0]}`);
    }
  }
});

test('output error ≤ RTN on inputs with outlier channels (seeds 1–4)', () => {
  const K = 128;
  const N = 32;
  const T = 128;
  for (const seed of [1, 2, 3, 4]) {
    const W = randomWeight(seed, K, N);
    const X = correlatedInputs(seed + 50, T, K, { outliers: 6, outlierScale: 25 });
    for (const bits of [3, 4]) {
      const awq = quantizeAwq(W, K, N, X, { bits, group: 32 });
      const rtn = quantizeRtn(W, K, N, { bits, granularity: 32 });
      const rtnError = outputErrorRatio(X, T, K, W, rtn.dequantized, N);
      assert.ok(awq.stats.outputError! <= rtnError, `seed ${seed} bits ${bits}: awq ${awq.stats.outputError} rtn ${rtnError}`);
      // α = 0 is plain RTN: the search's first score is RTN's error (search covers all tokens/columns here).
      assert.ok(Math.abs(awq.searchErrors[0] - rtnError) <= 1e-12 * Math.max(1, rtnError) + 1e-15);
      assert.is(awq.searchErrors.length, 20);
    }
  }
});

test('deterministic; empty calibration throws', () => {
  const W = randomWeight(6, 32, 4);
  const X = correlatedInputs(6, 20, 32, { outliers: 2 });
  const a = quantizeAwq(W, 32, 4, X, { bits: 4, group: 'channel' });
  const b = quantizeAwq(W, 32, 4, X, { bits: 4, group: 'channel' });
  assert.is(a.alpha, b.alpha);
  assert.equal([...a.codes], [...b.codes]);
  assert.throws(() => quantizeAwq(W, 32, 4, new Float32Array(0), { bits: 4 }), inputError(/empty/));
});

test.run();
