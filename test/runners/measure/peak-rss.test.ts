import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVmHwmBytes, readPeakRssBytes } from '../../../runners/measure/peak-rss.js';

const test = suite('runners/measure/peak-rss');

test('VmHWM line of /proc/<pid>/status, in bytes', () => {
  // proc(5): VmHWM is reported in kB (1024 bytes)
  assert.is(parseVmHwmBytes('Name:\tnode\nVmPeak:\t  99999 kB\nVmHWM:\t    1792 kB\nVmRSS:\t 1000 kB\n'), 1792 * 1024);
  assert.is(parseVmHwmBytes('Name:\tnode\n'), undefined);
});

test('this process has a plausible peak', () => {
  const b = readPeakRssBytes();
  assert.ok(b > 10e6 && b < 64e9, `peak ${b}`);
});

test.run();
