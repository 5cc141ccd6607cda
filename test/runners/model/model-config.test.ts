import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { parseDecoderConfig } from '../../../runners/model/model-config.js';

const test = suite('runners/model-config');

test('head_dim falls back to hidden_size / num_attention_heads; eos ids merge with generation_config', () => {
  const c = parseDecoderConfig(
    { model_type: 'llama', num_hidden_layers: 4, num_attention_heads: 8, hidden_size: 256, vocab_size: 1000, max_position_embeddings: 128, bos_token_id: 1, eos_token_id: 2 },
    'config.json',
    { eos_token_id: [2, 7] },
  );
  assert.equal(c, { modelType: 'llama', numLayers: 4, numKvHeads: 8, headDim: 32, vocabSize: 1000, maxPositions: 128, bosTokenId: 1, eosTokenIds: [2, 7] });
  const gpt2 = parseDecoderConfig({ n_layer: 2, n_head: 4, n_embd: 64, vocab_size: 50, n_positions: 32, eos_token_id: 0 }, 'c.json');
  assert.equal([gpt2.numLayers, gpt2.numKvHeads, gpt2.headDim, gpt2.maxPositions, gpt2.bosTokenId], [2, 4, 16, 32, undefined]);
});

test('missing or non-integer fields name the file and field', () => {
  assert.throws(() => parseDecoderConfig([], 'x/config.json'), (e: unknown) => e instanceof InputError && /x\/config\.json: expected a JSON object/.test((e as Error).message));
  assert.throws(() => parseDecoderConfig({ num_hidden_layers: 2, num_attention_heads: 3, hidden_size: 64, vocab_size: 5, max_position_embeddings: 8 }, 'c.json'), /not a multiple/);
  assert.throws(() => parseDecoderConfig({ num_hidden_layers: '2' }, 'c.json'), /c\.json: field num_hidden_layers must be a positive integer/);
});

test.run();
