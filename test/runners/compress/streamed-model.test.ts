import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { synthCommand } from '../../../runners/commands/synth.js';
import { inlineExternalData, openSurgeryModel } from '../../../runners/compress/model-graph.js';
import type { CompressSpec } from '../../../runners/compress/spec.js';
import { compressModel } from '../../../runners/compress/variants.js';
import { encodeModel } from '../../../runners/formats/onnx/read-model.js';
import { tempDir } from '../fixtures.js';

const test = suite('streamed compression: the same variant as with the model held in memory');
const calibration = { nSequences: 4, seqLen: 32 };

/** The variant's files (onnx/ bytes, config) and its record without the fields that may differ (time, worker count). */
function variant(dir: string): { files: Map<string, Buffer>; record: Record<string, unknown> } {
  const record = JSON.parse(readFileSync(join(dir, 'compression.json'), 'utf8')) as Record<string, unknown>;
  delete record.timingsMs;
  delete record.compressWorkers;
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(join(dir, 'onnx'))) files.set(`onnx/${name}`, readFileSync(join(dir, 'onnx', name)));
  files.set('config.json', readFileSync(join(dir, 'config.json')));
  return { files, record };
}

async function sameBothWays(model: string, spec: CompressSpec, name: string, externalData?: boolean): Promise<void> {
  const root = tempDir(`streamed-${name}`);
  const options = { calibration, workers: 1, ...(externalData !== undefined ? { externalData } : {}) };
  const held = await compressModel(model, spec, join(root, 'held'), { ...options, holdModel: true });
  const streamed = await compressModel(model, spec, join(root, 'streamed'), options);
  const a = variant(held.outDir);
  const b = variant(streamed.outDir);
  assert.equal([...b.files.keys()].sort(), [...a.files.keys()].sort(), `${name}: the same files`);
  for (const [file, bytes] of a.files) assert.ok(bytes.equals(b.files.get(file)!), `${name}: ${file} differs between the held and the streamed model`);
  assert.equal(b.record, a.record, name);
  assert.ok(streamed.record.timingsMs.kernels !== undefined && streamed.record.timingsMs.write !== undefined, `${name}: per-phase timings`);
}

let synth: string | undefined;
async function synthModel(): Promise<string> {
  if (synth) return synth;
  const dir = join(tempDir('streamed-synth'), 'model');
  await synthCommand(['--out', dir, '--hidden', '64', '--layers', '2', '--vocab', '2048'], () => undefined);
  synth = dir;
  return dir;
}

/**
 * The synth model rewritten with every initializer external, the int64 shape constants
 * (< 1 KiB, which a variant keeps inline) included, at unaligned offsets.
 */
function allExternal(src: string): string {
  const dir = tempDir('streamed-allext');
  for (const name of readdirSync(src)) if (statSync(join(src, name)).isFile()) copyFileSync(join(src, name), join(dir, name));
  mkdirSync(join(dir, 'onnx'));
  const m = openSurgeryModel(src);
  inlineExternalData(m);
  const fd = openSync(join(dir, 'onnx', 'weights.bin'), 'w');
  let offset = 3;
  writeSync(fd, new Uint8Array(3));
  const initializer = (m.model.graph?.initializer ?? []).map((t) => {
    const raw = t.raw_data ?? new Uint8Array(0);
    writeSync(fd, raw);
    const entry = { ...t, raw_data: undefined, data_location: 1, external_data: [
      { key: 'location', value: 'weights.bin' }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(raw.length) },
    ] };
    offset += raw.length;
    return entry;
  });
  closeSync(fd);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), encodeModel({ ...m.model, graph: { ...m.model.graph, initializer } }));
  return dir;
}

for (const [name, spec] of [
  ['rtn packed', { method: 'rtn', params: { bits: 4, group: 32 } }],
  ['gptq packed', { method: 'gptq', params: { bits: 4, group: 32 } }],
  ['awq packed (scales folded into the norms)', { method: 'awq', params: { bits: 4, group: 32 } }],
  ['smoothquant packed (w8a8)', { method: 'smoothquant', params: {} }],
  ['wanda simulated (dense outcomes)', { method: 'wanda', params: { sparsity: 0.5 } }],
  ['rtn with the head', { method: 'rtn', params: { bits: 4, group: 32 }, includeHead: true }],
] as const) {
  test(`synth model, ${name}: streamed and held write the same bytes and records`, async () => {
    await sameBothWays(await synthModel(), spec as CompressSpec, name.split(' ')[0]);
  });
}

test('synth model written inline (--external-data off): the external tensors are read into the one file', async () => {
  await sameBothWays(await synthModel(), { method: 'gptq', params: { bits: 4, group: 32 } }, 'inline-out', false);
});

test('every tensor external, small ones too, at odd offsets: the same bytes and records', async () => {
  const dir = allExternal(await synthModel());
  await sameBothWays(dir, { method: 'awq', params: { bits: 4, group: 32 } }, 'allext-awq');
  await sameBothWays(dir, { method: 'rtn', params: { bits: 4, group: 32 } }, 'allext-rtn');
});

test.run();
