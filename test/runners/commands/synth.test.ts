import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { tempDir } from '../fixtures.js';

/** `compbench synth` through the compiled CLI: a small folder is written and described; bad flags exit 2 naming the flag and its range. */
const test = suite('runners/commands/synth (CLI)');

test('writes a loadable folder and synth.json (nbits4: lm_head packed, embedding fp32)', () => {
  const dir = join(tempDir('synth-cli'), 'model');
  try {
    const r = cli('synth', '--out', dir, '--hidden', '64', '--layers', '2', '--heads', '4', '--kv-heads', '2', '--vocab', '2048', '--format', 'nbits4', '--seed', '5');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /nbits4-acc0 random-weight Llama, 2 layers × \(h 64, I 256, 4\/2 heads\), vocab 2048/);
    const synth = JSON.parse(readFileSync(join(dir, 'synth.json'), 'utf8')) as Record<string, unknown>;
    assert.is(synth.kind, 'llama (random weights)');
    assert.is(synth.format, 'nbits4-acc0');
    assert.equal(synth.shape, { hidden: 64, layers: 2, intermediate: 256, heads: 4, kvHeads: 2, vocab: 2048, maxPositions: 2048, seed: 5 });
    assert.match(String(synth.lmHead), /quantized/);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal([config.hidden_size, config.num_hidden_layers, config.num_attention_heads, config.num_key_value_heads, config.head_dim, config.vocab_size], [64, 2, 4, 2, 16, 2048]);
    // the runtime opens it: generate two tokens from the folder
    const g = cli('generate', '--model', dir, '--max-new-tokens', '2', '--json');
    assert.is(g.code, 0, g.stderr);
    assert.is((JSON.parse(g.stdout.split('\n')[0]) as { generated_ids: number[] }).generated_ids.length, 2);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('bad flags: one line, exit 2, naming the flag and the allowed values', () => {
  const out = join(tempDir('synth-bad'), 'model');
  const base = ['synth', '--out', out, '--layers', '2'];
  assertOneLineError(cli(...base, '--hidden', '100'), /--hidden must be a multiple of 32/);
  assertOneLineError(cli(...base, '--hidden', '16'), /--hidden must be an integer in 32\.\.16384, got 16/);
  assertOneLineError(cli(...base, '--hidden', '64', '--heads', '3'), /--heads must divide --hidden 64/);
  assertOneLineError(cli(...base, '--hidden', '64', '--heads', '4', '--kv-heads', '3'), /--kv-heads must divide --heads 4/);
  assertOneLineError(cli(...base, '--hidden', '64', '--vocab', '1000'), /--vocab must be an integer in 2048\.\.262144 .*got 1000/);
  assertOneLineError(cli(...base, '--hidden', '64', '--format', 'nbits3'), /--format must be one of fp32, nbits8-acc0, .*got 'nbits3'/);
  assertOneLineError(cli(...base, '--hidden', 'wide'), /--hidden must be a non-negative integer \(got 'wide'\)/);
  assertOneLineError(cli('synth', '--out', out, '--hidden', '64'), /synth needs --hidden H and --layers L/);
  assertOneLineError(cli('synth', '--hidden', '64', '--layers', '1'), /synth needs --out DIR/);
  assertOneLineError(cli(...base, '--hidden', '8192', '--layers', '64'), /GB of fp32 weights, over the 6 GB/);
  rmSync(join(out, '..'), { recursive: true, force: true });
});

test.run();
