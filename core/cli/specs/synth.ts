import type { CommandSpec } from '../flag-table.js';

/** `compbench synth`. */
export const SYNTH_SPEC = {
  name: 'synth',
  summary: 'a random-weight Llama model folder at realistic width, for timing (its text is noise)',
  synopsis: '--out DIR --hidden H --layers L [options]',
  positionals: { min: 0, max: 0 },
  flags: {
    out: { type: 'string', value: 'DIR', default: 'required', help: 'a new or empty folder outside the repository' },
    hidden: { type: 'string', value: 'H', default: 'required', help: 'model width, 32..16384, a multiple of 32' },
    layers: { type: 'string', value: 'L', default: 'required', help: 'decoder layers, 1..256' },
    intermediate: { type: 'string', value: 'I', default: '8H/3 rounded up to 256', help: 'MLP width, a multiple of 32' },
    heads: { type: 'string', value: 'N', default: 'H/64', help: 'attention heads, dividing H into an even head_dim' },
    'kv-heads': { type: 'string', value: 'N', default: '--heads', help: 'key/value heads, dividing --heads (fewer = grouped-query)' },
    vocab: { type: 'string', value: 'V', default: '32000', help: 'vocabulary, 2048..262144 (ids past 2047 are never tokenized)' },
    seed: { type: 'string', value: 'S', default: '0', help: 'weight seed' },
    format: { type: 'string', value: 'F', initial: 'fp32', help: 'fp32, nbitsB-acc0 or nbitsB-acc4 for B = 8, 4, 2 (MatMulNBits, RTN asymmetric, block 32; nbitsB = nbitsB-acc0), or w8a8' },
  },
  example: 'compbench synth --out ../synth-llama --hidden 2048 --layers 8 --format nbits4',
  details: [
    'Writes DIR: a LlamaForCausalLM config.json, the bundled 2048-token tokenizer, onnx/model.onnx +',
    'model.onnx.data with a KV cache, synth.json. It loads like any exported model.',
  ],
} as const satisfies CommandSpec;
