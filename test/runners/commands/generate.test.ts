import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PACKAGE_ROOT, packagePath } from '../../../core/paths.js';
import { storiesDir, tempDir } from '../fixtures.js';
import { cli, assertOneLineError } from '../../cli-helpers.js';

const test = suite('runners/commands/generate (CLI)');

test('--json on stories260k: BOS prompt, oracle tokens, exact keys', () => {
  const dir = storiesDir('CLI generate --json');
  if (!dir) return;
  const r = cli('generate', '--model', dir, '--max-new-tokens', '12', '--json');
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.is(lines.length, 2, 'one line');
  const json = JSON.parse(lines[0]) as { prompt_ids: number[]; generated_ids: number[]; text: string };
  assert.equal(Object.keys(json), ['prompt_ids', 'generated_ids', 'text']);
  assert.equal(json.prompt_ids, [1]);
  assert.is(json.generated_ids.length, 12);
  assert.ok(readFileSync(join(dir, 'oracle-greedy200.txt'), 'utf8').startsWith(json.text), json.text);
  assert.ok(json.text.startsWith('Once upon a time'));
});

test('plain output is the continuation of the prompt', () => {
  const dir = storiesDir('CLI generate text');
  if (!dir) return;
  const r = cli('generate', '--model', dir, '--prompt', 'Once upon a time', '--max-new-tokens', '40', '--stop', 'Lily');
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, ', there was a little girl named \n');
});

test('unknown flag, unknown command, bad number, missing folder: one line, exit 2', () => {
  assertOneLineError(cli('generate', '--bogus'), /Unknown option '--bogus'/, 2);
  assertOneLineError(cli('frobnicate'), /unknown command 'frobnicate'; available: generate/, 2);
  assertOneLineError(cli('generate', '--max-new-tokens', 'ten'), /--max-new-tokens must be a non-negative integer/, 2);
  assertOneLineError(cli('generate', '--model', join(tempDir('cli'), 'absent')), /absent not found/, 2);
  const noCommand = cli();
  assert.is(noCommand.code, 2);
  assert.match(noCommand.stdout, /usage: compbench <command>/);
});

test('a broken model folder is exit 2 through the CLI', () => {
  const dir = tempDir('cli-broken');
  const r = cli('generate', '--model', dir);
  assertOneLineError(r, /config\.json not found/, 2);
});

test('--model defaults to the bundled teacher', () => {
  const teacher = packagePath('datasets', 'models', 'teacher');
  const r = cli('generate', '--max-new-tokens', '3', '--json');
  if (existsSync(join(teacher, 'onnx', 'model.onnx'))) {
    assert.is(r.code, 0, r.stderr);
    assert.is((JSON.parse(r.stdout) as { generated_ids: number[] }).generated_ids.length <= 3, true);
  } else {
    console.log('SKIP CLI default model run: datasets/models/teacher not found (checking the error instead)');
    assertOneLineError(r, /models\/teacher/, 2);
  }
});

test('bin/compbench.js says to build when dist/cli.js is missing', () => {
  const root = tempDir('bin');
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(PACKAGE_ROOT, 'bin', 'compbench.js'), join(root, 'bin', 'compbench.js'));
  const r = spawnSync(process.execPath, [join(root, 'bin', 'compbench.js'), 'generate'], { encoding: 'utf8' });
  assert.is(r.status, 3);
  assert.is(r.stderr, "compbench: dist/cli.js not found; run 'npm run build' first\n");
});

test.run();
