import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { studentDir, tempDir } from '../fixtures.js';
import { writeConfig } from './fixtures.js';

const test = suite('runners/matrix/precheck (the whole matrix is checked before any of it runs)');

test('four problems in different places: one line lists them all, exit 2, nothing started', () => {
  const student = studentDir('precheck');
  if (!student) return;
  const policy = join(tempDir('policy'), 'policy.json');
  writeFileSync(policy, JSON.stringify({ rules: [{ id: 'x', kind: 'floor', suite: 's', metric: 'acc' }] }));
  const badSuite = tempDir('badsuite');
  writeFileSync(join(badSuite, 'suite.json'), JSON.stringify({ id: 'bad', version: '1', description: 'd', dataset: 'data.jsonl', kind: 'multiple_choice', template: '{question}', choicesField: 'choices', answerField: 'answer', metrics: ['acurracy'] }));
  writeFileSync(join(badSuite, 'data.jsonl'), '{"id":"a","question":"q","choices":["x","y"],"answer":0}\n');
  const config = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'rtn', bits: 9 }, { method: 'rtn', bits: 3, form: 'packed' }, { method: 'nf4', blockSize: 1 }],
    suites: [badSuite],
    measurement: { enabled: false },
    cacheDir: tempDir('cache'),
    gatePolicy: policy,
  });
  const out = tempDir('out');
  const r = cli('run', '--config', config, '--out', out);
  assertOneLineError(r, /the matrix cannot run \(nothing was started\): 5 problems: \(1\) \$\.methods\[0\]: .*bits.*\(2\) \$\.methods\[2\]: .*blockSize.*\(3\) variant student\/rtn-w3.*: rtn: no packed form: onnxruntime's MatMulNBits runs 2\/4\/8-bit.*\(4\) suite .*badsuite.*: .*acurracy.*\(5\) \$\.gatePolicy: /);
  assert.not.ok(existsSync(join(out, 'run-state.json')), 'no run was started');
});

test.run();
