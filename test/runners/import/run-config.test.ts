import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { importKey } from '../../../runners/import/index.js';
import { loadRunConfig } from '../../../runners/matrix/config.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { tempDir } from '../fixtures.js';
import { writeConfig } from '../matrix/fixtures.js';
import { fixtureDir } from './hf-reference.js';

/** A run config whose "models" entry names a safetensors folder: imported once into the cache, then run like any model. */
const test = suite('runners/import (safetensors folder in a run config)');

function tinySuite(): string {
  const dir = tempDir('suite-hf');
  const texts = ['Please give answer to this question: Which number is smaller, 92 or 34?', 'The answer is no. Femi is heavier than Mateo.', 'Hugo has 17 books.'];
  writeFileSync(join(dir, 'data.jsonl'), texts.map((text, i) => JSON.stringify({ id: `t${i}`, text })).join('\n') + '\n');
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ id: 'hf-ppl', version: '1', description: 'three lines', dataset: 'data.jsonl', kind: 'rolling', metrics: ['perplexity'] }));
  return dir;
}

test('the matrix runs on an imported Qwen2 and Phi-3; a rerun reuses the import', async () => {
  const cacheDir = tempDir('cache-hf');
  const config = writeConfig({
    models: [{ id: 'qwen2', dir: fixtureDir('qwen2') }, { id: 'phi3', dir: fixtureDir('phi3') }],
    methods: [{ method: 'rtn', bits: 8, group: 'channel', models: ['qwen2'] }],
    suites: [tinySuite()],
    seed: 1,
    measurement: { enabled: false },
    execution: { workers: 1 },
    cacheDir,
  });
  const lines: string[] = [];
  const first = await runMatrix({ configFile: config, outDir: tempDir('out-hf') }, (l) => lines.push(l));
  assert.ok(first.record.complete, JSON.stringify(first.record.cells));
  assert.is(lines.filter((l) => l.startsWith('imported ')).length, 2, lines.join('\n'));
  assert.equal(first.record.variants.map((v) => v.id), ['qwen2', 'phi3', 'qwen2/rtn-w8-gch']);
  assert.is(first.record.cells.length, 3);
  for (const cell of first.record.cells) {
    assert.is(cell.state, 'ok');
    assert.match(JSON.stringify(cell.state === 'ok' ? cell.aggregate : {}), /perplexity/);
  }
  assert.is(readdirSync(join(cacheDir, 'imported')).filter((f) => f !== 'hashes.json').length, 2);
  const again: string[] = [];
  await runMatrix({ configFile: config, outDir: tempDir('out-hf2') }, (l) => again.push(l));
  assert.is(again.filter((l) => l.startsWith('imported ')).length, 0, 'second run: cached import');
});

test('the import key: content of the files the import reads, not of unrelated files beside them', () => {
  const dir = tempDir('key-src');
  for (const f of readdirSync(fixtureDir('phi3'))) copyFileSync(join(fixtureDir('phi3'), f), join(dir, f));
  const memo = join(tempDir('key-memo'), 'hashes.json');
  const key = importKey(dir, memo);
  writeFileSync(join(dir, 'consolidated.safetensors'), 'not read by the import');
  writeFileSync(join(dir, 'notes.json'), '{}');
  assert.is(importKey(dir, memo), key);
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, rms_norm_eps: 1e-6 }));
  assert.is.not(importKey(dir, memo), key);
});

test('an unsupported architecture in a run config fails at load, naming the entry', () => {
  const dir = tempDir('gpt2');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ architectures: ['GPT2LMHeadModel'], model_type: 'gpt2' }));
  writeFileSync(join(dir, 'model.safetensors'), '');
  const config = writeConfig({ models: [{ id: 'g', dir }], methods: [], suites: [tinySuite()], measurement: { enabled: false } });
  assert.throws(() => loadRunConfig(config), (e: Error) => /\$\.models\[0\]\.dir: .*architectures \["GPT2LMHeadModel"\] is not supported/.test(e.message));
});

test.run();
