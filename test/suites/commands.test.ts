import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listSuites, validateSuitesCommand } from '../../suites/commands.js';
import { removeDir, tempDir, writeUserSuite } from './fixtures.js';

const test = suite('suites/commands');

const GOOD = { id: 'good', version: '2', dataset: 'd.jsonl', kind: 'rolling', metrics: ['perplexity'] };

let dir = '';
test.before(() => {
  dir = tempDir();
  writeUserSuite(`${dir}/a-good`, GOOD, { 'd.jsonl': [{ id: 1, text: 'hello there' }] });
  writeUserSuite(`${dir}/b-bad`, { ...GOOD, id: 'bad', metrics: ['perplexity', 'acc'] }, { 'd.jsonl': [{ id: 1, text: 'x' }, { id: 1, text: 'y' }] });
});
test.after(() => removeDir(dir));

test('list: one line per suite, invalid ones flagged, exit 2 on a missing folder', () => {
  const r = listSuites([dir]);
  assert.is(r.lines.length, 2);
  assert.match(r.lines[0], /^good@2  rolling  role=other  n=1  metrics=perplexity  .*a-good$/);
  assert.match(r.lines[1], /^INVALID .*b-bad: .*metric 'acc' reads multiple_choice results, not rolling/);
  assert.is(r.exitCode, 2);
  assert.is(listSuites([`${dir}/a-good`]).exitCode, 0);
  assert.match(listSuites([`${dir}/none`]).lines[0], /not a folder/);
});

test('validate: every problem, then a verdict and the exit code', () => {
  const ok = validateSuitesCommand(`${dir}/a-good`);
  assert.equal(ok.lines.map((l) => l.replace(/ \(\/.*\)$/, ' ()')), [
    'ok good@2: 1 instances, kind rolling, role other ()',
    `hint good: no "role", so reports and the default gate treat it as 'other': perhaps "role": "perplexity" (the roles are in suites/FORMAT.md)`,
    '1 suite valid',
  ]);
  assert.is(ok.exitCode, 0);
  const all = validateSuitesCommand(dir);
  assert.is(all.exitCode, 2);
  assert.is(all.lines[all.lines.length - 1], '1 of 2 suites invalid');
  assert.ok(all.lines.some((l) => /metric 'acc' reads multiple_choice/.test(l)));
  assert.ok(all.lines.some((l) => /d\.jsonl:2: \$\.id: duplicate instance id '1'/.test(l)), 'a suite.json error does not hide the data errors');
  assert.is(validateSuitesCommand(`${dir}/nope`).exitCode, 2);
});

test.run();
