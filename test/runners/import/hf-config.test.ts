import { copyFileSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { writeSafetensors } from '../../../runners/formats/safetensors/index.js';
import { parseHfConfig, ropeFrequencies } from '../../../runners/import/index.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';
import { tempDir } from '../fixtures.js';
import { fixtureDir } from './hf-reference.js';

const test = suite('runners/import/hf-config');

const FILE = '/m/config.json';

function config(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixtureDir(name), 'config.json'), 'utf8')) as Record<string, unknown>;
}

function rejects(cfg: Record<string, unknown>, pattern: RegExp): void {
  try {
    parseHfConfig(cfg, FILE);
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected ${pattern}`);
}

test('each fixture maps to its family and features', () => {
  const llama = parseHfConfig(config('llama'), FILE);
  assert.is(llama.family, 'llama');
  assert.equal([llama.spec.headDim, llama.spec.qkvBias, llama.tiedEmbeddings, llama.spec.slidingWindows], [8, false, false, []]);
  const bf16 = parseHfConfig(config('llama-bf16'), FILE);
  assert.equal([bf16.spec.qkvBias, bf16.spec.oBias, bf16.spec.mlpBias, bf16.tiedEmbeddings], [true, true, true, true]);
  const mistral = parseHfConfig(config('mistral'), FILE);
  assert.equal([mistral.spec.headDim, mistral.spec.slidingWindows], [16, [4, 4]]);
  const qwen = parseHfConfig(config('qwen2'), FILE);
  assert.equal([qwen.spec.qkvBias, qwen.spec.oBias, qwen.spec.rmsNormEps, qwen.spec.slidingWindows], [true, false, 1e-6, [0, 3]]);
  // transformers 4 layout: max_window_layers instead of layer_types; no window unless use_sliding_window
  const { layer_types: _t, ...v4 } = config('qwen2');
  assert.equal(parseHfConfig(v4, FILE).spec.slidingWindows, [0, 3]);
  assert.equal(parseHfConfig({ ...v4, use_sliding_window: false }, FILE).spec.slidingWindows, []);
  // Phi-3-mini's config.json carries attention_bias: false, which transformers never reads
  assert.is(parseHfConfig({ ...config('phi3'), attention_bias: false }, FILE).spec.qkvBias, false);
  const phi = parseHfConfig(config('phi3-longrope'), FILE);
  assert.is(phi.spec.rope.kind, 'by-length');
  // attention factor sqrt(1 + ln(64/8) / ln 8) = sqrt(2)
  assert.ok(Math.abs(phi.spec.rope.attentionScaling - Math.SQRT2) < 1e-12);
});

test('RoPE: both config layouts give the same frequencies; llama3 keeps high and divides low frequencies', () => {
  const v4 = config('llama');
  const v5 = { ...v4, rope_theta: undefined, rope_scaling: undefined, rope_parameters: { ...(v4.rope_scaling as object), rope_theta: 10000 } };
  const a = ropeFrequencies(v4, 8, FILE), b = ropeFrequencies(v5, 8, FILE);
  assert.ok(a.kind === 'static' && b.kind === 'static');
  assert.equal([...a.invFreq], [...b.invFreq]);
  // head_dim 8, θ 1e4: wavelengths 6.3 (< 64/4: kept), 62.8 (smoothed), 628 and 6283 (> 64: / 8)
  assert.is(a.invFreq[0], 1);
  assert.ok(Math.abs(a.invFreq[2] - 0.01 / 8) < 1e-9 && Math.abs(a.invFreq[3] - 0.001 / 8) < 1e-10);
  assert.ok(a.invFreq[1] < 0.1 && a.invFreq[1] > 0.1 / 8);
  const linear = ropeFrequencies({ rope_theta: 100, rope_scaling: { type: 'linear', factor: 4 }, max_position_embeddings: 8 }, 4, FILE);
  assert.ok(linear.kind === 'static' && linear.invFreq[1] === Math.fround(Math.fround(1 / 10) / 4));
});

test('unsupported architectures and fields: one line naming them', () => {
  const llama = config('llama');
  rejects({ ...llama, architectures: ['GPT2LMHeadModel'] }, /architectures \["GPT2LMHeadModel"\] is not supported; the importer maps LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, Phi3ForCausalLM/);
  rejects({ ...llama, model_type: 'mistral' }, /model_type "mistral" does not match LlamaForCausalLM/);
  rejects({ ...llama, use_qk_norm: true }, /field use_qk_norm is not supported for LlamaForCausalLM/);
  rejects({ ...llama, sliding_window: 4 }, /field sliding_window is not supported for LlamaForCausalLM/);
  rejects({ ...llama, quantization_config: { quant_method: 'gptq' } }, /quantization_config: quantized checkpoints are not supported/);
  rejects({ ...llama, hidden_act: 'gelu' }, /hidden_act "gelu" is not supported/);
  rejects({ ...llama, rope_scaling: { rope_type: 'dynamic', factor: 2 } }, /RoPE type "dynamic" is not supported; supported: default, linear, llama3, longrope/);
  rejects({ ...llama, rope_scaling: { rope_type: 'yarn', factor: 4 } }, /RoPE type "yarn" is not supported/);
  rejects({ ...config('phi3'), attention_bias: true }, /attention_bias true is not supported for Phi3ForCausalLM/);
  rejects({ ...config('phi3'), partial_rotary_factor: 0.75 }, /partial_rotary_factor 0.75 is not supported/);
  rejects({ ...llama, num_key_value_heads: 3 }, /num_attention_heads 4 is not a multiple of num_key_value_heads 3/);
  rejects({ ...llama, hidden_size: 'big' }, /field hidden_size must be a positive integer, got "big"/);
  rejects({ ...config('phi3-longrope'), rope_parameters: { rope_type: 'longrope', rope_theta: 1e4, short_factor: [1], long_factor: [1, 2, 3, 4] } }, /short_factor must list 4 positive numbers/);
});

/** A copy of fixture `name` whose config.json is changed by `edit`. */
function copyFixture(name: string, edit: (cfg: Record<string, unknown>) => void = () => undefined): string {
  const dir = join(tempDir('hf-bad'), name);
  mkdirSync(dir);
  for (const f of readdirSync(fixtureDir(name))) copyFileSync(join(fixtureDir(name), f), join(dir, f));
  const cfg = config(name);
  edit(cfg);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  return dir;
}

test('compbench import: weights that do not match the config are refused, exit 2', () => {
  const out = (): string => join(tempDir('hf-out'), 'o');
  assertOneLineError(cli('import', '--from', copyFixture('llama', (c) => (c.attention_bias = true)), '--out', out()), /has no tensor 'model\.layers\.0\.self_attn\.q_proj\.bias', which LlamaForCausalLM with this config\.json needs/);
  assertOneLineError(cli('import', '--from', copyFixture('llama-bf16', (c) => (c.mlp_bias = false)), '--out', out()), /tensor 'model\.layers\.0\.mlp\.down_proj\.bias' \(and 5 more\) is not part of a LlamaForCausalLM with this config\.json/);
  assertOneLineError(cli('import', '--from', copyFixture('mistral', (c) => (c.head_dim = 8)), '--out', out()), /tensor 'model\.layers\.0\.self_attn\.q_proj\.weight' has shape \[64, 32\], config\.json implies \[32, 32\]/);
  assertOneLineError(cli('import', '--from', copyFixture('qwen2', (c) => (c.tie_word_embeddings = false)), '--out', out()), /no tensor 'lm_head\.weight'/);
  assertOneLineError(cli('import', '--from', copyFixture('phi3', (c) => (c.rope_parameters = { rope_type: 'dynamic', rope_theta: 1e4, factor: 2 })), '--out', out()), /RoPE type "dynamic" is not supported/);
  const noTok = copyFixture('phi3');
  writeFileSync(join(noTok, 'tokenizer.json'), '');
  assertOneLineError(cli('import', '--from', noTok, '--out', out()), /tokenizer\.json is not valid JSON/);
  const withTensor = copyFixture('phi3');
  writeSafetensors(join(withTensor, 'model.safetensors'), [{ name: 'model.embed_tokens.weight', shape: [2], values: Float32Array.of(1, 2) }]);
  assertOneLineError(cli('import', '--from', withTensor, '--out', out()), /tensor 'model\.embed_tokens\.weight' has shape \[2\], config\.json implies \[320, 32\]/);
  assertOneLineError(cli('import', '--from', fixtureDir('phi3')), /import needs --out DIR/);
  assertOneLineError(cli('generate', '--model', fixtureDir('phi3'), '--prompt', 'hi'), /is a Hugging Face safetensors folder without onnx\/model\.onnx; import it first: compbench import --from/);
  assertOneLineError(cli('import', '--from', join(fixtureDir('phi3'), 'nope'), '--out', out()), /is not a folder/);
  const r = cli('import', '--from', fixtureDir('phi3'), '--out', out());
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Phi3ForCausalLM from F32 safetensors, 0\.\d MB of fp32 weights/);
});

test.run();
