import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { DEFAULT_MEASURE_SETTINGS, resolveMeasureSettings } from '../../../runners/measure/settings.js';

const test = suite('runners/measure/settings');

test('defaults are filled in, given values kept, undefined ignored', () => {
  const s = resolveMeasureSettings({ decodeTokens: 16, promptTokens: undefined });
  assert.is(s.decodeTokens, 16);
  assert.is(s.promptTokens, 64);
  assert.equal({ ...s, decodeTokens: 64 }, DEFAULT_MEASURE_SETTINGS);
  assert.is(DEFAULT_MEASURE_SETTINGS.tdpWattsPerCore, 10);
  assert.is(DEFAULT_MEASURE_SETTINGS.intraOpNumThreads, 1);
});

test('bad options are InputErrors naming the option', () => {
  const cases: [object, RegExp][] = [
    [{ promptTokens: 0 }, /settings\.promptTokens/],
    [{ decodeTokens: 1.5 }, /settings\.decodeTokens/],
    [{ warmupTokens: -1 }, /settings\.warmupTokens/],
    [{ timeoutMs: 0 }, /settings\.timeoutMs/],
    [{ tdpWattsPerCore: -3 }, /settings\.tdpWattsPerCore/],
    [{ executionProvider: 'rocm' }, /settings\.executionProvider/],
  ];
  for (const [bad, re] of cases) {
    try {
      resolveMeasureSettings(bad);
      assert.unreachable(`accepted ${JSON.stringify(bad)}`);
    } catch (e) {
      assert.instance(e, InputError);
      assert.match((e as Error).message, re);
    }
  }
  assert.is(resolveMeasureSettings({ warmupTokens: 0 }).warmupTokens, 0);
});

test.run();
