import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { joulesFromPowerSamples, parsePowerDrawW } from '../../../runners/measure/nvml.js';

const test = suite('runners/measure/nvml (parsing only; no GPU here)');

test('power.draw CSV lines, [N/A] and blanks skipped', () => {
  assert.equal(parsePowerDrawW('35.12\n[N/A]\n\n 40.00 \n'), [35.12, 40]);
  assert.equal(parsePowerDrawW(''), []);
});

test('energy = mean power × seconds', () => {
  assert.is(joulesFromPowerSamples([30, 50], 2), 80);
  assert.is(joulesFromPowerSamples([], 2), undefined);
});

test.run();
