import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { synthCommand } from '../../../runners/commands/synth.js';
import { compressModel } from '../../../runners/compress/variants.js';
import type { CompressSpec } from '../../../runners/compress/spec.js';
import { defaultCompressWorkers, inlinePool, transferablesOf, workerPool } from '../../../runners/compress/layer-pool.js';
import { InputError } from '../../../core/errors.js';
import type { UnitTask } from '../../../runners/compress/compress-unit.js';
import { teacherDir, tempDir } from '../fixtures.js';

const test = suite('compression on worker threads');
const calibration = { nSequences: 4, seqLen: 32 };

/** The variant's onnx/ bytes and its record without the fields that may differ (time, worker count). */
function variant(dir: string): { onnx: Buffer; data: Buffer | undefined; record: Record<string, unknown> } {
  const record = JSON.parse(readFileSync(join(dir, 'compression.json'), 'utf8')) as Record<string, unknown>;
  delete record.timingsMs;
  delete record.compressWorkers;
  let data: Buffer | undefined;
  try {
    data = readFileSync(join(dir, 'onnx', 'model.onnx.data'));
  } catch {
    data = undefined;
  }
  return { onnx: readFileSync(join(dir, 'onnx', 'model.onnx')), data, record };
}

async function sameForOneAndTwo(model: string, spec: CompressSpec, name: string): Promise<void> {
  const root = tempDir(`workers-${name}`);
  const one = await compressModel(model, spec, join(root, 'one'), { calibration, workers: 1 });
  const two = await compressModel(model, spec, join(root, 'two'), { calibration, workers: 2 });
  assert.is(one.record.compressWorkers, 1);
  assert.is(two.record.compressWorkers, 2);
  const a = variant(one.outDir);
  const b = variant(two.outDir);
  assert.ok(a.onnx.equals(b.onnx), `${name}: model.onnx differs between 1 and 2 workers`);
  assert.is(a.data === undefined, b.data === undefined);
  if (a.data && b.data) assert.ok(a.data.equals(b.data), `${name}: model.onnx.data differs between 1 and 2 workers`);
  assert.equal(b.record, a.record, name);
}

let synth: string | undefined;
async function synthModel(): Promise<string> {
  if (synth) return synth;
  const dir = join(tempDir('workers-synth'), 'model');
  await synthCommand(['--out', dir, '--hidden', '64', '--layers', '2', '--vocab', '2048'], () => undefined);
  synth = dir;
  return dir;
}

for (const [name, spec] of [
  ['gptq packed', { method: 'gptq', params: { bits: 4, group: 32 } }],
  ['awq packed', { method: 'awq', params: { bits: 4, group: 32 } }],
  ['wanda simulated', { method: 'wanda', params: { sparsity: 0.5 } }],
  ['rtn packed', { method: 'rtn', params: { bits: 4, group: 32 } }],
] as const) {
  test(`synth model, ${name}: 1 and 2 workers write the same bytes and records`, async () => {
    await sameForOneAndTwo(await synthModel(), spec as CompressSpec, name.replace(/ /gu, '-'));
  });
}

const teacher = teacherDir('compression workers on the teacher');
if (teacher) {
  test('teacher, gptq act-order: 1 and 2 workers write the same bytes and records', async () => {
    await sameForOneAndTwo(teacher, { method: 'gptq', params: { bits: 4, group: 32, actOrder: true } }, 'teacher-gptq');
  });
}

test('default workers: cores, capped by the units and by half the free memory per unit', () => {
  assert.is(defaultCompressWorkers(10, 100, 4, 1e6), 4);
  assert.is(defaultCompressWorkers(3, 100, 4, 1e6), 3);
  assert.is(defaultCompressWorkers(10, 200, 4, 1000), 2);
  assert.is(defaultCompressWorkers(10, 1e9, 4, 1000), 1);
});

test('a unit failing in a worker rejects with the inline error (class and message), and the pool still closes', async () => {
  const task = (): UnitTask => ({ method: 'rtn', params: { bits: 99, symmetric: false, group: 'channel' }, form: 'simulated', shapes: [{ weight: 'w', K: 4, N: 2 }], weights: [new Float32Array(8)] });
  const errorOf = async (run: () => Promise<unknown>): Promise<unknown> => run().then(() => undefined, (e: unknown) => e);
  const inline = inlinePool('fast');
  const expected = await errorOf(() => inline.run(task()));
  await inline.close();
  const pool = workerPool(2, 'fast');
  const got = await errorOf(() => pool.run(task()));
  await pool.close();
  assert.ok(expected instanceof InputError);
  assert.ok(got instanceof InputError);
  assert.is((got as Error).message, (expected as Error).message);
});

test('transferablesOf: every typed array buffer once, nested in objects and arrays', () => {
  const a = new Float32Array(4);
  const b = new Uint8Array(a.buffer, 4, 4);
  const c = new Int8Array(3);
  const list = transferablesOf({ x: [a, { y: b }], z: c, n: 1, s: 'text' });
  assert.is(list.length, 2);
  assert.ok(list.includes(a.buffer as ArrayBuffer) && list.includes(c.buffer as ArrayBuffer));
});

test.run();
