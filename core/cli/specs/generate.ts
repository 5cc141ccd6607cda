import type { CommandSpec } from '../flag-table.js';

/** `compbench generate`: greedy continuation. */
export const GENERATE_SPEC = {
  name: 'generate',
  summary: 'greedy continuation of a prompt by one model (ONNX folder or GGUF file)',
  synopsis: '[--model DIR|FILE.gguf] [--prompt TEXT] [--max-new-tokens N] [--stop TEXT]... [--threads N] [--json]',
  positionals: { min: 0, max: 0 },
  flags: {
    model: { type: 'string', value: 'DIR|FILE.gguf', default: 'datasets/models/teacher', help: 'the model folder or GGUF file' },
    prompt: { type: 'string', value: 'TEXT', initial: '', default: 'empty: start from BOS', help: 'the prompt' },
    'max-new-tokens': { type: 'string', value: 'N', default: '64', help: 'most tokens generated' },
    stop: { type: 'string', value: 'TEXT', multiple: true, default: 'none', help: 'stop at this text (may be repeated)' },
    threads: { type: 'string', value: 'N', default: '2', help: 'intra-op threads' },
    json: { type: 'boolean', help: 'print {"prompt_ids":[...],"generated_ids":[...],"text":"..."} on one line' },
  },
  example: "compbench generate --model datasets/models/teacher --prompt 'The capital of' --max-new-tokens 16",
} as const satisfies CommandSpec;
