import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRng } from '../../../core/rng.js';
import { bootstrapInterval, bootstrapMeanInterval } from '../../../core/stats/bootstrap.js';
import { clustersOf, designEffect, isClustered, subsetClusters } from '../../../core/stats/clusters.js';
import { pairedDelta } from '../../../core/stats/paired.js';
import { summarizeRatio, summarizeScores } from '../../../core/stats/summary.js';

const test = suite('core/stats/clusters');

/** 20 items × 12 counterfactual variants: outcomes of one item mostly agree (as fairness-people's do). */
function clusteredOutcomes(seed: number): { ids: string[]; base: number[]; vari: number[] } {
  const rng = createRng(seed);
  const ids: string[] = [];
  const base: number[] = [];
  const vari: number[] = [];
  for (let item = 0; item < 20; item++) {
    const easy = rng.next() < 0.7;
    const hurt = rng.next() < 0.2;
    for (let v = 0; v < 12; v++) {
      ids.push(`f${String(item).padStart(2, '0')}`);
      const b = (easy ? rng.next() < 0.95 : rng.next() < 0.2) ? 1 : 0;
      base.push(b);
      vari.push(hurt && rng.next() < 0.6 ? 0 : b);
    }
  }
  return { ids, base, vari };
}

/**
 * The reference: a plain group bootstrap written out here, independent of
 * core/stats/bootstrap.ts. Groups in first-seen order; each resample draws as many
 * groups as there are, with replacement, from mulberry32 (core/rng.ts), pools their
 * members and takes the difference of means; type-7 quantiles of the sorted replicates.
 */
function referenceGroupBootstrap(ids: string[], base: number[], vari: number[], seed: number, resamples: number): [number, number] {
  const groups = new Map<string, number[]>();
  ids.forEach((id, i) => {
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(i);
  });
  const list = [...groups.values()];
  const rng = createRng(seed);
  const replicates: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let sumBase = 0;
    let sumVari = 0;
    let count = 0;
    for (let j = 0; j < list.length; j++) {
      for (const i of list[Math.floor(rng.next() * list.length)]) {
        sumBase += base[i];
        sumVari += vari[i];
        count++;
      }
    }
    replicates.push(sumVari / count - sumBase / count);
  }
  replicates.sort((x, y) => x - y);
  const q = (p: number): number => {
    const h = (replicates.length - 1) * p;
    const lo = Math.floor(h);
    return replicates[lo] + (h - lo) * (replicates[Math.min(lo + 1, replicates.length - 1)] - replicates[lo]);
  };
  return [q(0.025), q(0.975)];
}

test('the paired Δ interval over groups equals an independent group bootstrap', () => {
  for (const seed of [1, 2, 3]) {
    const { ids, base, vari } = clusteredOutcomes(seed);
    const d = pairedDelta(base, vari, { seed: 7 + seed, resamples: 1000, clusters: clustersOf(ids) });
    const [low, high] = referenceGroupBootstrap(ids, base, vari, 7 + seed, 1000);
    assert.is(d.low, low, `seed ${seed} low`);
    assert.is(d.high, high, `seed ${seed} high`);
    assert.is(d.clustering!.groups, 20);
  }
});

test('a mean over groups equals the same independent group bootstrap (baseline zero)', () => {
  const rng = createRng(5);
  const ids = Array.from({ length: 60 }, (_, i) => `g${i % 13}`);
  const values = ids.map((id) => Number(id.slice(1)) / 13 + 0.1 * rng.normal());
  const s = summarizeScores(values, { seed: 11, resamples: 700, clusters: clustersOf(ids) });
  const [low, high] = referenceGroupBootstrap(ids, values.map(() => 0), values, 11, 700);
  assert.is(s.method, 'bootstrap');
  assert.is(s.low, low);
  assert.is(s.high, high);
  assert.is(s.clustering!.interval, 'group-bootstrap');
});

test('grouping widens the Δ interval and shrinks the effective n; singletons change nothing', () => {
  const { ids, base, vari } = clusteredOutcomes(1);
  const flat = pairedDelta(base, vari, { seed: 3 });
  const grouped = pairedDelta(base, vari, { seed: 3, clusters: clustersOf(ids) });
  assert.ok(grouped.high - grouped.low > 1.5 * (flat.high - flat.low), `${grouped.low}..${grouped.high} vs ${flat.low}..${flat.high}`);
  assert.ok(grouped.clustering!.nEffective < 80, `n_eff ${grouped.clustering!.nEffective}`);
  assert.is(flat.clustering, undefined);
  const singletons = clustersOf(ids.map((_, i) => `i${i}`));
  assert.not.ok(isClustered(singletons));
  assert.equal(pairedDelta(base, vari, { seed: 3, clusters: singletons }), flat);
  const noIds = clustersOf(ids.map(() => undefined));
  assert.is(noIds.members.length, ids.length);
});

test('design effect: 1 for independent rows, the group size for identical members, never below 1', () => {
  const rng = createRng(2);
  const twelve = clustersOf(Array.from({ length: 240 }, (_, i) => `g${Math.floor(i / 12)}`));
  const itemLevel = Array.from({ length: 20 }, () => rng.normal());
  const identical = Array.from({ length: 240 }, (_, i) => itemLevel[Math.floor(i / 12)]);
  const m = identical.reduce((a, b) => a + b, 0) / 240;
  // k/(k−1) over n/(n−1): 12 · (20/19)/(240/239) = 12.57…
  assert.ok(Math.abs(designEffect(identical.map((x) => x - m), twelve) - (12 * (20 / 19)) / (240 / 239)) < 1e-9);
  const noise = Array.from({ length: 240 }, () => rng.normal());
  const deff = designEffect(noise, twelve);
  assert.ok(deff >= 1 && deff < 2.5, `independent noise deff ${deff}`);
  assert.is(designEffect(new Array(240).fill(0), twelve), 12, 'no variation: as if each group were one instance');
  assert.is(designEffect(noise, clustersOf(noise.map((_, i) => String(i)))), 1);
});

test('a clustered proportion: Wilson on the effective n, inside [0, 1], wider than per-instance Wilson', () => {
  const { ids, base } = clusteredOutcomes(4);
  const flat = summarizeScores(base);
  const grouped = summarizeScores(base, { clusters: clustersOf(ids) });
  assert.is(grouped.method, 'wilson');
  assert.is(grouped.clustering!.interval, 'design-effect');
  assert.ok(grouped.low! < flat.low! && grouped.high! > flat.high!);
  assert.ok(grouped.low! >= 0 && grouped.high! <= 1);
  const allRight = summarizeScores(new Array(240).fill(1), { clusters: clustersOf(ids) });
  assert.is(allRight.high, 1);
  assert.is(allRight.clustering!.nEffective, 20, 'no variation: n_eff = number of groups');
  assert.ok(allRight.low! < 0.9, `low ${allRight.low}: Wilson on 20, not on 240`);
});

test('ratio of sums: groups are resampled whole, same draws as a per-instance bootstrap over singletons', () => {
  const rng = createRng(8);
  const num = Array.from({ length: 40 }, () => 10 + rng.next());
  const den = Array.from({ length: 40 }, () => 4 + rng.next());
  const ids = num.map((_, i) => `g${Math.floor(i / 4)}`);
  const grouped = summarizeRatio(num, den, Math.exp, { seed: 2, resamples: 300, clusters: clustersOf(ids) });
  assert.is(grouped.clustering!.groups, 10);
  const flat = summarizeRatio(num, den, Math.exp, { seed: 2, resamples: 300 });
  assert.is(flat.value, grouped.value);
  assert.is(flat.clustering, undefined);
});

test('bootstrapInterval checks that the clusters cover n; subsetClusters renumbers', () => {
  const c = clustersOf(['a', 'b', 'a', 'c', 'b']);
  assert.throws(() => bootstrapInterval(4, () => 0, { clusters: c }), /covers 5/);
  const sub = subsetClusters(c, [0, 2, 3]);
  assert.equal(sub.members.map((m) => [...m]), [[0, 1], [2]]);
  assert.is(sub.n, 3);
  assert.equal(bootstrapMeanInterval([1, 2, 3], { seed: 1 }), bootstrapMeanInterval([1, 2, 3], { seed: 1, clusters: clustersOf(['x', 'y', 'z']) }));
});

test.run();
