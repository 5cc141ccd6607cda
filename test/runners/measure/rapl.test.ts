import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findRaplDomains, raplDeltaUj, readRaplUj } from '../../../runners/measure/rapl.js';
import { tempDir } from '../fixtures.js';
import { fakePowercap } from './fixtures.js';

const test = suite('runners/measure/rapl');

test('package domains only (sub-domains are inside them)', () => {
  const root = fakePowercap();
  const d = findRaplDomains(root);
  assert.equal(d.map((x) => x.energyPath), [join(root, 'intel-rapl:0', 'energy_uj'), join(root, 'intel-rapl:1', 'energy_uj')]);
  assert.is(d[0].maxRangeUj, 262143328850);
  assert.equal(readRaplUj(d), [1000, 5000]);
});

test('no tree, or only an odd counter', () => {
  assert.equal(findRaplDomains(join(tempDir('none'), 'absent')), []);
  const root = tempDir('odd');
  mkdirSync(join(root, 'dram'));
  writeFileSync(join(root, 'dram', 'energy_uj'), '7\n');
  const d = findRaplDomains(root);
  assert.is(d.length, 1);
  assert.is(d[0].maxRangeUj, Number.MAX_SAFE_INTEGER);
});

test('delta across a wrap of max_energy_range_uj', () => {
  assert.is(raplDeltaUj(100, 350, 1000), 250);
  // wraps at 1000: 900 → 1000 (100 µJ) then 0 → 100 (100 µJ)
  assert.is(raplDeltaUj(900, 100, 1000), 200);
});

test.run();
