import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readGgufFile } from '../../runners/formats/gguf/index.js';
import { ggufReadBytes } from '../../bench/llama-decode.js';
import { storiesGguf } from '../runners/backends/llama-cpp/fixtures.js';

const test = suite('bench/llama-decode: bytes a decode step reads from a GGUF');

test('all tensor bytes but token_embd, plus one of its rows', () => {
  const s = storiesGguf('gguf read bytes');
  if (!s) return;
  const file = readGgufFile(s.gguf);
  const embd = file.tensors.find((t) => t.name === 'token_embd.weight')!;
  const total = file.tensors.reduce((a, t) => a + t.bytes, 0);
  const { tensorBytes, perTokenBytes } = ggufReadBytes(s.gguf);
  assert.is(tensorBytes, total);
  assert.is(perTokenBytes, total - embd.bytes + embd.bytes / embd.dims[1]);
  assert.ok(perTokenBytes < tensorBytes && Number.isInteger(embd.bytes / embd.dims[1]));
});

test.run();
