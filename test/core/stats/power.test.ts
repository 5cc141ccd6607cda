import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../core/rng.js';
import { normalCdf } from '../../../core/stats/normal.js';
import { pairedDelta } from '../../../core/stats/paired.js';
import {
  bootstrapMde,
  disagreementRate,
  flipRateMde,
  itemsToDecide,
  mdeMultiplier,
  pairedPower,
  proportionMde,
} from '../../../core/stats/power.js';

const test = suite('core/stats/power');

/** Tolerance of a simulated rate near 0.8 from `sims` runs: 4 binomial SDs plus `model` for the formula's normal approximation. */
function tolerance(sims: number, model: number): number {
  return 4 * Math.sqrt((0.8 * 0.2) / sims) + model;
}

/**
 * One simulated suite of m paired 0/1 items: each item disagrees with probability ρ_d, a
 * disagreement is right→wrong with probability (ρ_d + δ)/(2ρ_d), so the true loss is δ.
 * Returns the right→wrong (b) and wrong→right (c) counts.
 */
function simulateFlips(rng: ReturnType<typeof createRng>, m: number, rho: number, delta: number): { b: number; c: number } {
  let b = 0;
  let c = 0;
  for (let i = 0; i < m; i++) {
    const u = rng.next();
    if (u < (rho + delta) / 2) b++;
    else if (u < rho) c++;
  }
  return { b, c };
}

test('k = z(0.975) + z(0.8) = 2.801585', () => {
  assert.ok(Math.abs(mdeMultiplier() - 2.801585) < 1e-6);
  assert.ok(Math.abs(mdeMultiplier({ alpha: 0.01, power: 0.9 }) - (2.5758293 + 1.2815516)) < 1e-6);
});

test('proportion MDE: k·√(ρ_d/m), never below k²/m', () => {
  const k = 2.801585;
  assert.ok(Math.abs(proportionMde(0.2, 400) - k * Math.sqrt(0.2 / 400)) < 1e-6);
  // Few disagreements: a loss of δ needs ≥ δ·m flipped items, so the floor k²/m applies.
  assert.ok(Math.abs(proportionMde(0.01, 100) - (k * k) / 100) < 1e-6);
  assert.ok(Math.abs(proportionMde(0, 50) - (k * k) / 50) < 1e-6);
  assert.throws(() => proportionMde(0.1, 0), /m must be positive/);
  assert.throws(() => proportionMde(1.5, 10), /disagreementRate/);
});

test('simulation, seed 24: 0/1 items detected at the computed MDE about 80% of the time (McNemar z test)', () => {
  const m = 400;
  const rho = 0.2;
  const mde = proportionMde(rho, m);
  const sims = 4000;
  const rng = createRng(24);
  const detectionRate = (delta: number): number => {
    let detected = 0;
    for (let s = 0; s < sims; s++) {
      const { b, c } = simulateFlips(rng, m, rho, delta);
      if (b + c > 0 && Math.abs(b - c) / Math.sqrt(b + c) > 1.959964) detected++;
    }
    return detected / sims;
  };
  const atMde = detectionRate(mde);
  assert.ok(Math.abs(atMde - 0.8) < tolerance(sims, 0.01), `detected ${atMde} of suites at δ = MDE ${mde.toFixed(4)}`);
  // The test can fail: half the MDE is detected far less often (about Φ(1.4 − 1.96) = 0.29).
  const atHalf = detectionRate(mde / 2);
  assert.ok(Math.abs(atHalf - normalCdf(mdeMultiplier() / 2 - 1.959964)) < tolerance(sims, 0.03), `detected ${atHalf} at δ = MDE/2`);
});

test('simulation, seed 7: the paired bootstrap CI (the gate\'s own instrument) excludes 0 about 80% of the time at the MDE', () => {
  const m = 200;
  const rho = 0.3;
  const mde = proportionMde(rho, m);
  const sims = 300;
  const rng = createRng(7);
  let detected = 0;
  for (let s = 0; s < sims; s++) {
    const { b, c } = simulateFlips(rng, m, rho, mde);
    // b right→wrong, c wrong→right, the rest agree (right in both).
    const base = Array.from({ length: m }, (_, i) => (i < b ? 1 : i < b + c ? 0 : 1));
    const vari = Array.from({ length: m }, (_, i) => (i < b ? 0 : i < b + c ? 1 : 1));
    const d = pairedDelta(base, vari, { seed: s, resamples: 400 });
    if (d.high < 0 || d.low > 0) detected++;
  }
  const rate = detected / sims;
  assert.ok(Math.abs(rate - 0.8) < tolerance(sims, 0.04), `bootstrap CI excluded 0 in ${rate} of suites`);
});

test('continuous: the bootstrap-SE MDE equals k·σ/√m, and N(δ = k·σ/√m, σ²) differences are detected about 80% of the time', () => {
  const m = 400;
  const sigma = 0.5;
  const rng = createRng(11);
  const base = Array.from({ length: m }, () => 3 + rng.normal());
  const vari = base.map((x) => x + 0.05 + sigma * rng.normal());
  const delta = pairedDelta(base, vari, { seed: 0 });
  const power = pairedPower(base, vari, delta, false);
  assert.is(power.method, 'bootstrap-se');
  assert.is(power.m, m);
  assert.is(power.disagreementRate, 1);
  const diffs = vari.map((v, i) => v - base[i]);
  const mean = diffs.reduce((s, x) => s + x, 0) / m;
  const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / (m - 1));
  const direct = mdeMultiplier() * (sd / Math.sqrt(m));
  // 2000 bootstrap replicates: the SE has about 1.6% relative noise.
  assert.ok(Math.abs(power.mde - direct) / direct < 0.05, `bootstrap MDE ${power.mde} vs k·s/√m ${direct}`);
  assert.ok(Math.abs(bootstrapMde(delta.se!) - power.mde) < 1e-12);

  const sims = 4000;
  const effect = mdeMultiplier() * (sigma / Math.sqrt(m));
  let detected = 0;
  for (let s = 0; s < sims; s++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < m; i++) {
      const d = effect + sigma * rng.normal();
      sum += d;
      sumSq += d * d;
    }
    const avg = sum / m;
    const se = Math.sqrt((sumSq - m * avg * avg) / (m - 1) / m);
    if (Math.abs(avg / se) > 1.959964) detected++;
  }
  const rate = detected / sims;
  assert.ok(Math.abs(rate - 0.8) < tolerance(sims, 0.01), `detected ${rate}`);
});

test('0/1 power: ρ_d is the flip rate; with groups m is the effective n', () => {
  const base = [1, 1, 1, 1, 0, 0, 1, 1, 1, 0];
  const vari = [1, 0, 1, 1, 1, 0, 1, 0, 1, 0];
  assert.is(disagreementRate(base, vari, true), 0.3);
  const d = pairedDelta(base, vari, { seed: 1, resamples: 200 });
  const p = pairedPower(base, vari, d, true);
  assert.is(p.method, 'disagreement');
  assert.is(p.m, 10);
  assert.ok(Math.abs(p.mde - proportionMde(0.3, 10)) < 1e-12);
  const grouped = { ...d, clustering: { groups: 5, designEffect: 2, nEffective: 5, interval: 'group-bootstrap' as const } };
  assert.ok(Math.abs(pairedPower(base, vari, grouped, true).mde - proportionMde(0.3, 5)) < 1e-12);
});

test('flip-rate MDE k²/(m + k²) solves θ = k·√(θ(1 − θ)/m)', () => {
  const k = mdeMultiplier();
  for (const m of [50, 100, 480, 5000]) {
    const theta = flipRateMde(m);
    assert.ok(Math.abs(theta - k * Math.sqrt((theta * (1 - theta)) / m)) < 1e-12, `m ${m}`);
  }
});

test('items to decide: n·(h/d)², rounded up; infinite on the margin', () => {
  assert.is(itemsToDecide(100, 0.06, 0.04), 225);
  assert.is(itemsToDecide(100, 0.03, 0.04), 57);
  assert.is(itemsToDecide(100, 0.06, 0), Infinity);
});

test('items to decide, recomputed: a suite of that size with the same outcomes has a bootstrap half-width ≈ the distance to the margin', () => {
  // A block of 50 items: 8 right→wrong, 7 wrong→right, 20 right in both, 15 wrong in both (Δ = −0.02, ρ_d = 0.3).
  const block = (k: number): { base: number[]; vari: number[] } => {
    const base: number[] = [];
    const vari: number[] = [];
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < 50; i++) {
        base.push(i < 8 ? 1 : i < 15 ? 0 : i < 35 ? 1 : 0);
        vari.push(i < 8 ? 0 : i < 15 ? 1 : i < 35 ? 1 : 0);
      }
    }
    return { base, vari };
  };
  const margin = 0.05;
  const halfWidthAt = (k: number): number => {
    const { base, vari } = block(k);
    const d = pairedDelta(base, vari, { seed: 5 });
    return d.delta - d.low;
  };
  const n = 100;
  const h = halfWidthAt(n / 50);
  const distance = -0.02 + margin;
  assert.ok(h > distance, 'at 100 items the interval is wider than the distance to the margin');
  const needed = itemsToDecide(n, h, distance);
  assert.is(needed, Math.ceil(n * (h / distance) ** 2 - 1e-9));
  // Recompute at the block size nearest the figure: the lower half-width is about the distance.
  const k = Math.round(needed / 50);
  const hAtNeeded = halfWidthAt(k);
  const predicted = h * Math.sqrt(n / (50 * k));
  assert.ok(Math.abs(hAtNeeded - predicted) / predicted < 0.1, `half-width at ${50 * k} items ${hAtNeeded}, predicted ${predicted}`);
  assert.ok(Math.abs(hAtNeeded - distance) / distance < 0.15, `half-width ${hAtNeeded} vs distance ${distance} at ${50 * k} (needed ${needed})`);
});

test.run();
