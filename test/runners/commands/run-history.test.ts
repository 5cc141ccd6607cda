/** `compbench run --history DB` appends the finished run to the history store, in either flag form. */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'compbench-run-history-'));

test('--history=DB (the = form too) records the night; history lists it', () => {
  const config = join(root, 'config.json');
  const model = packagePath('datasets', 'models', 'teacher');
  writeFileSync(config, JSON.stringify({ models: [{ id: 'teacher', dir: model }], methods: [], suites: ['reasoning'], limit: 5, measurement: { enabled: false } }));
  const db = join(root, 'history.sqlite');
  const r = cli('run', '--config', config, '--out', join(root, 'run'), '--cache-dir', join(root, 'cache'), `--history=${db}`, '--quiet');
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.ok(existsSync(db), 'the store was written');
  const h = cli('history', '--db', db);
  assert.is(h.code, 0, h.stderr);
  assert.match(h.stdout, /newest night/u);
});

test('--history without a file is one line, exit 2', () => {
  assertOneLineError(cli('run', '--history'), /run: Option '--history <value>' argument missing/u);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
