import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { estimatedJoules, startEnergySpan } from '../../../runners/measure/energy.js';
import { tempDir } from '../fixtures.js';
import { fakePowercap, setEnergyUj } from './fixtures.js';

const test = suite('runners/measure/energy');

function burnCpu(ms: number): void {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  if (x < 0) throw new Error('unreachable');
}

test('estimated: E = cpu seconds × TDP per core, with provenance, TDP and formula', async () => {
  const span = startEnergySpan({ executionProvider: 'cpu', tdpWattsPerCore: 12, powercapRoot: join(tempDir('no-rapl'), 'absent') });
  burnCpu(30);
  const e = await span.finish(4);
  assert.is(e.provenance, 'estimated');
  assert.is(e.tdpWattsPerCore, 12);
  assert.ok(e.cpuSeconds! > 0, 'busy loop used CPU');
  assert.is(e.joules, e.cpuSeconds! * 12);
  assert.is(e.joulesPerToken, e.joules / 4);
  assert.match(e.formula!, /cpu_seconds × TDP_per_core \(12 W\)/);
  assert.match(e.formula!, /CodeCarbon/);
  assert.is(estimatedJoules(2.5, 10), 25);
});

test('rapl: sum of package counter deltas, one across a wrap', async () => {
  const root = fakePowercap(); // packages start at 1000 and 5000 µJ
  const span = startEnergySpan({ executionProvider: 'cpu', tdpWattsPerCore: 10, powercapRoot: root });
  setEnergyUj(root, 'intel-rapl:0', 3_001_000); // +3 J
  setEnergyUj(root, 'intel-rapl:1', 1000); // wrapped: 262143328850 − 5000 + 1000 µJ
  setEnergyUj(root, 'intel-rapl:0:0', 9_999_999_999); // a sub-domain: must not count
  const e = await span.finish(10);
  assert.is(e.provenance, 'rapl');
  const expectedJ = (3_000_000 + 262143328850 - 5000 + 1000) / 1e6;
  assert.ok(Math.abs(e.joules - expectedJ) < 1e-6, `${e.joules} vs ${expectedJ}`);
  assert.ok(Math.abs(e.joulesPerToken - expectedJ / 10) < 1e-7);
  assert.is(e.tdpWattsPerCore, undefined);
  assert.match(e.formula!, /RAPL/);
});

test.run();
