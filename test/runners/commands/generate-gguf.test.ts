import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../fixtures.js';
import { storiesGguf } from '../backends/llama-cpp/fixtures.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';

const test = suite('runners/commands/generate (CLI) on a GGUF');

test('--model stories260K.gguf --json: BOS prompt, the oracle text; a foreign .gguf is one line, exit 2', () => {
  const s = storiesGguf('CLI generate on a GGUF');
  if (!s) return;
  const r = cli('generate', '--model', s.gguf, '--max-new-tokens', '12', '--json');
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout.split('\n')[0]) as { prompt_ids: number[]; generated_ids: number[]; text: string };
  assert.equal(json.prompt_ids, [1]);
  assert.is(json.generated_ids.length, 12);
  assert.ok(readFileSync(join(s.dir, 'oracle-greedy200.txt'), 'utf8').startsWith(json.text), json.text);
  const fake = join(tempDir('cli-gguf'), 'fake.gguf');
  writeFileSync(fake, 'not a model');
  assertOneLineError(cli('generate', '--model', fake), /fake\.gguf: not a GGUF file/, 2);
});

test.run();
