import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LlamaCppAdapter } from '../../../../runners/backends/llama-cpp/llama-adapter.js';
import { TOKENIZER_PROBES } from '../../../../runners/backends/llama-cpp/tokenizer-check.js';
import { tempDir } from '../../fixtures.js';
import { folderWithGguf, inputErrorOf, storiesGguf } from './fixtures.js';
import { patchGguf } from './patch-gguf.js';

const test = suite('runners/backends/llama-cpp bad input: one-line InputErrors, never a crash');

test('a truncated GGUF is refused before llama.cpp opens it', async () => {
  const s = storiesGguf('truncated GGUF');
  if (!s) return;
  const path = join(tempDir('trunc'), 'cut.gguf');
  writeFileSync(path, readFileSync(s.gguf).subarray(0, Math.floor(statSync(s.gguf).size / 2)));
  assert.match(await inputErrorOf(LlamaCppAdapter.load(path)), /cut\.gguf: tensor '.+' ends at byte \d+ but the file has \d+ bytes \(truncated\)/);
  const header = join(tempDir('trunc'), 'header.gguf');
  writeFileSync(header, readFileSync(s.gguf).subarray(0, 100));
  assert.match(await inputErrorOf(LlamaCppAdapter.load(header)), /header\.gguf: .*(more than the file holds|runs past the end of the file): check that it is a complete GGUF file/);
});

test('a file named .gguf that is not one is refused', async () => {
  const path = join(tempDir('fake'), 'model.gguf');
  writeFileSync(path, '{"this": "is json, not a GGUF model"}\n'.repeat(4));
  assert.match(await inputErrorOf(LlamaCppAdapter.load(path)), /model\.gguf: not a GGUF file \(no 'GGUF' magic at byte 0\)/);
});

test('an architecture llama.cpp does not know: its own reason, rephrased on one line', async () => {
  const s = storiesGguf('unknown architecture');
  if (!s) return;
  const path = join(tempDir('arch'), 'llamx.gguf');
  patchGguf(s.gguf, path, [{ key: 'general.architecture', value: 'llamx' }]);
  const message = await inputErrorOf(LlamaCppAdapter.load(path));
  assert.match(message, /llamx\.gguf: llama\.cpp cannot load this model \(architecture 'llamx'\): .*unknown model architecture: 'llamx'; use a GGUF of an architecture this llama\.cpp supports/);
});

test('a tokenizer.json beside the GGUF must tokenize like the GGUF; the model’s own one is accepted', async () => {
  const s = storiesGguf('tokenizer agreement');
  if (!s) return;
  const good = folderWithGguf(s.gguf);
  copyFileSync(join(s.dir, 'tokenizer.json'), join(good, 'tokenizer.json'));
  copyFileSync(join(s.dir, 'tokenizer_config.json'), join(good, 'tokenizer_config.json'));
  const adapter = await LlamaCppAdapter.load(join(good, 'model.gguf'));
  await adapter.dispose();

  // swap the ids of two frequent pieces: same vocabulary, other ids
  const bad = folderWithGguf(s.gguf);
  const tok = JSON.parse(readFileSync(join(s.dir, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } };
  const v = tok.model.vocab;
  [v['▁a'], v['▁the']] = [v['▁the'], v['▁a']];
  writeFileSync(join(bad, 'tokenizer.json'), JSON.stringify(tok));
  const message = await inputErrorOf(LlamaCppAdapter.load(join(bad, 'model.gguf')));
  assert.ok(TOKENIZER_PROBES.some((p) => message.includes(JSON.stringify(p))), message);
  assert.match(message, /tokenizer\.json and .*model\.gguf tokenize ".*" differently \(\d+ vs \d+ ids\): put the model's own tokenizer\.json beside the GGUF, or remove it$/);
});

test.run();
