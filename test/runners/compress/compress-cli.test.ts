import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedExternalDir } from '../../../core/paths.js';
import type { CompressionRecord } from '../../../runners/compress/manifest.js';
import { floatTensor } from '../../../runners/compress/model-graph.js';
import { encodeModel } from '../../../runners/formats/onnx/read-model.js';
import { storiesDir, tempDir } from '../fixtures.js';
import { METHOD_IDS } from '../../../kernels/index.js';
import { cli, assertOneLineError } from '../../cli-helpers.js';

const test = suite('runners/commands/compress (CLI)');

test('bad input: one line, exit 2', () => {
  const dir = storiesDir('compress CLI bad input');
  if (!dir) return;
  const root = tempDir('cli-bad');
  const out = join(root, 'v');
  const empty = join(root, 'empty.txt');
  writeFileSync(empty, '');
  const notDir = join(root, 'file');
  writeFileSync(notDir, 'x');
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--bits', '9', '--out', out), /bits must be an integer from 2 to 8, got 9/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--bits', '1', '--out', out), /from 2 to 8, got 1/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--group', '0', '--out', out), /rtn: group must be 'channel' or 'tensor' or a positive integer group size, got 0/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--group', '48', '--form', 'packed', '--out', out), /no packed form: MatMulNBits needs a group that is a power of 2 ≥ 16/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'magnitude', '--sparsity', '1', '--out', out), /sparsity must be a number in \[0, 1\), got 1/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'nm', '--pattern', '4:4', '--out', out), /pattern 4:4 is invalid; N must be smaller than M/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'llm-int8', '--threshold', '0', '--out', out), /llm-int8: threshold must be a number in \[0.001, 1000000\], got 0/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'fairprune', '--protect', 'welsh', '--out', out), /fairprune: suite fairness needs texts tagged dialect=welsh/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'flap', '--ratio', '1.5', '--out', out), /flap: ratio must be a number in \[0, 1\), got 1.5/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'flap', '--ratio=-0.1', '--out', out), /flap: ratio must be a number in \[0, 1\), got -0.1/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'flap', '--bits', '4', '--out', out), /flap: Unknown param 'bits'\. Available: ratio/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'llm-int8', '--threshold', 'abc', '--out', out), /--threshold must be a number \(got 'abc'\)/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'fairprune', '--beta', '11', '--out', out), /fairprune: beta must be a number in \[0, 10\], got 11/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'fairprune', '--slice-tag', 'colour', '--out', out), /fairprune: .*no instance has the tag 'colour'/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'fairprune', '--form', 'packed', '--out', out), /fairprune: no packed form: .*use --form simulated/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'gptq', '--calib', empty, '--out', out), /calibration set is empty/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--out', dir), /is the input model folder/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--out', join(notDir, 'v')), /not writable/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--bits', '3', '--form', 'packed', '--out', out), /no packed form: .*2\/4\/8-bit/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtm', '--out', out), /Unknown method 'rtm'/i);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'magnitude', '--bits', '4', '--out', out), /magnitude: .*bits/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn'), /--out DIR is required/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--sym-grid', 'narrow', '--out', out), /rtn: symGrid 'narrow' is a symmetric grid; also set symmetric: true \(--sym\)/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--sym', '--sym-grid', 'tight', '--out', out), /symGrid must be one of full, narrow, got "tight"/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'nm', '--score', 'norm', '--out', out), /score must be one of wanda, magnitude/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'rtn', '--score', 'magnitude', '--out', out), /rtn: Unknown param 'score'/);
  assertOneLineError(cli('compress', '--model', dir, '--method', 'gptq', '--calib-mode', 'docs', '--out', out), /--calib-mode must be stream or documents \(got 'docs'\)/);
});

test("--help documents every method, issue 18's params and where quantization-aware recovery comes from", () => {
  const r = cli('compress', '--help');
  assert.is(r.code, 0, r.stderr);
  const methodLine = r.stdout.split('\n').find((l) => l.trim().startsWith('--method'))!;
  const methods = methodLine.split(/\s+/u).find((w) => w.includes('|'))!;
  assert.equal(methods.split('|'), METHOD_IDS);
  const line = (flag: string): string => r.stdout.split('\n').find((l) => l.trim().startsWith(flag)) ?? '';
  assert.match(line('--threshold'), /llm-int8/u);
  assert.match(line('--ratio'), /flap/u);
  for (const flag of ['--slice-suite', '--slice-tag', '--protect', '--beta']) assert.match(line(flag), /fairprune/u, flag);
  for (const flag of ['datasets/train/qat.py', '--model datasets/models/teacher-qat-w3 --method rtn --bits 3']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test('a model with no eligible MatMul: one line, exit 2', () => {
  const dir = storiesDir('compress CLI no MatMul');
  if (!dir) return;
  const model = tempDir('cli-nomatmul');
  for (const f of readdirSync(dir)) if (statSync(join(dir, f)).isFile()) copyFileSync(join(dir, f), join(model, f));
  mkdirSync(join(model, 'onnx'));
  // Only the output head (excluded by default) is a MatMul with an initializer weight.
  const bytes = encodeModel({
    ir_version: 8, opset_import: [{ domain: '', version: 14 }],
    graph: {
      name: 'head-only', node: [{ op_type: 'MatMul', input: ['X', 'lm_head.weight'], output: ['logits'], name: 'head' }],
      initializer: [floatTensor('lm_head.weight', [2, 2], new Float32Array(4))],
      input: [{ name: 'X', type: { tensor_type: { elem_type: 1 } } }], output: [{ name: 'logits', type: { tensor_type: { elem_type: 1 } } }],
    },
  });
  writeFileSync(join(model, 'onnx', 'model.onnx'), bytes);
  assertOneLineError(cli('compress', '--model', model, '--method', 'rtn', '--out', join(model, '..', 'nomatmul-out')), /has no eligible MatMul/);
});

test('compresses stories260k: summary line, exit 0, compression.json written', () => {
  const dir = storiesDir('compress CLI ok');
  if (!dir) return;
  const out = join(tempDir('cli-ok'), 'rtn4');
  const r = cli('compress', '--model', dir, '--method', 'rtn', '--bits', '4', '--sym', '--out', out);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /rtn \{"bits":4,"symmetric":true,"symGrid":"full","group":"channel"\} form packed, 35 weights/);
  assert.ok(statSync(join(out, 'compression.json')).isFile());
});

test('group 32 on stories260k (K = 172: partial last group): rtn and gptq 4-bit compress, packed', () => {
  const dir = storiesDir('compress CLI group 32');
  const ext = sharedExternalDir();
  if (!dir || !ext) return;
  const root = tempDir('cli-g32');
  const rtn = cli('compress', '--model', dir, '--method', 'rtn', '--bits', '4', '--group', '32', '--out', join(root, 'rtn'));
  assert.is(rtn.code, 0, rtn.stderr);
  assert.match(rtn.stdout, /rtn \{"bits":4,"symmetric":false,"symGrid":"full","group":32\} form packed, 35 weights/);
  const calib = join(ext, 'datasets', 'tinystories_sample.txt');
  const gptq = cli('compress', '--model', dir, '--method', 'gptq', '--bits', '4', '--group', '32', '--sym', '--sym-grid', 'narrow',
    '--calib', calib, '--calib-n', '4', '--calib-len', '64', '--calib-mode', 'documents', '--out', join(root, 'gptq'));
  assert.is(gptq.code, 0, gptq.stderr);
  const r = JSON.parse(readFileSync(join(root, 'gptq', 'compression.json'), 'utf8')) as CompressionRecord;
  assert.is(r.execution.form, 'packed');
  assert.equal(r.grouping, { size: 32, partialLastGroup: [{ K: 172, lastGroupRows: 12 }] });
  assert.is(r.quantGrid!.kind, 'symmetric-narrow');
  assert.is(r.calibration!.mode, 'documents');
  const nm = cli('compress', '--model', dir, '--method', 'nm', '--pattern', '2:4', '--score', 'magnitude', '--out', join(root, 'nm'));
  assert.is(nm.code, 0, nm.stderr);
  assert.match(nm.stdout, /nm \{"n":2,"m":4,"score":"magnitude"\} form simulated/);
});

test.run();
