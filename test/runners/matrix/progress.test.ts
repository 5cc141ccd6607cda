import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, progressLine, ProgressReporter } from '../../../runners/matrix/progress.js';

const test = suite('runners/matrix/progress');

test('progress line with an ETA from computed instances only', () => {
  // 100 computed in 10 s -> 0.1 s each; 200 left -> 20 s
  const line = progressLine({ cellsDone: 3, cellsTotal: 40, instancesDone: 130, instancesTotal: 330, fromCache: 30 }, 10_000);
  assert.is(line, '[ 3/40 cells] 130/330 instances, 30 from cache, ETA 20s');
  assert.is(progressLine({ cellsDone: 0, cellsTotal: 2, instancesDone: 0, instancesTotal: 5, fromCache: 0 }, 0), '[0/2 cells] 0/5 instances, 0 from cache');
});

test('durations', () => {
  assert.is(formatDuration(130_000), '2m10s');
  assert.is(formatDuration(3_780_000), '1h03m');
});

test('plain lines: every finished cell, otherwise at most every interval', () => {
  const lines: string[] = [];
  const p = new ProgressReporter({ cells: 2, instances: 10, fromCache: 0, cellsDone: 0 }, (l) => lines.push(l), false, 1e9);
  p.report(true);
  p.add(3, false);
  p.add(2, true);
  assert.equal(lines.map((l) => l.split(',')[0]), ['[0/2 cells] 0/10 instances', '[1/2 cells] 5/10 instances']);
});

test.run();
