/** The bundled stories260K: every file matches the sha256 its provenance records, and the licence is there. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath, sharedExternalDir } from '../../../core/paths.js';

const test = suite('datasets/models/stories260k');
const dir = packagePath('datasets', 'models', 'stories260k');
const provenance = JSON.parse(readFileSync(join(dir, 'provenance.json'), 'utf8')) as {
  upstream: { repository: string; licence: string };
  weightsFrom: { sha256: string };
  files: Record<string, { bytes: number; sha256: string }>;
};

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((n) => (statSync(join(root, n)).isDirectory() ? filesUnder(join(root, n)) : [join(root, n)]));
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('every copied file matches the sha256 and size provenance.json records', () => {
  const listed = Object.keys(provenance.files).sort();
  assert.ok(listed.includes('onnx/model.onnx') && listed.includes('tokenizer.json') && listed.includes('LICENSE'), listed.join(', '));
  for (const [name, want] of Object.entries(provenance.files)) {
    const file = join(dir, name);
    assert.is(statSync(file).size, want.bytes, name);
    assert.is(sha256(file), want.sha256, name);
  }
});

test('the folder holds the recorded files, the licence, the model card and the provenance, nothing else', () => {
  const present = filesUnder(dir).map((f) => relative(dir, f)).sort();
  assert.equal(present, [...Object.keys(provenance.files), 'MODEL_CARD.md', 'provenance.json'].sort());
  assert.match(readFileSync(join(dir, 'LICENSE'), 'utf8'), /^MIT License/);
  assert.is(provenance.upstream.repository, 'karpathy/llama2.c');
});

test('the copy equals ../shared/external/stories260k where that folder is present', () => {
  const ext = sharedExternalDir();
  if (!ext) {
    console.log('SKIP stories260k copy check: ../shared/external not found');
    return;
  }
  for (const name of Object.keys(provenance.files)) assert.is(sha256(join(ext, 'stories260k', name)), provenance.files[name].sha256, name);
  const gguf = join(ext, 'stories260k', 'source', 'stories260K.gguf');
  if (existsSync(gguf)) assert.is(sha256(gguf), provenance.weightsFrom.sha256);
});

test.run();
