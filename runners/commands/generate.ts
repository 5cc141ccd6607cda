import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { openModel } from '../backends/open-model.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { GENERATE_SPEC } from '../../core/cli/specs/generate.js';

/** Usage text of `compbench generate`. */
export const GENERATE_USAGE = commandUsage(GENERATE_SPEC);

/** Default new tokens for the CLI. */
const DEFAULT_MAX_NEW_TOKENS = 64;

/** `compbench generate`: prints the greedy continuation; returns the exit code. */
export async function generateCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(GENERATE_SPEC, args);
  if (values.help) {
    out(GENERATE_USAGE);
    return 0;
  }
  const maxNewTokens = integerFlag('max-new-tokens', values['max-new-tokens'], DEFAULT_MAX_NEW_TOKENS);
  const threads = integerFlag('threads', values.threads, 2);
  const modelPath = values.model ?? packagePath('datasets', 'models', 'teacher');
  const adapter = await openModel(modelPath, { threads: Math.max(1, threads) });
  try {
    const [r] = await adapter.generate([{ prompt: values.prompt ?? '', options: { maxNewTokens, stop: values.stop ?? [] } }]);
    if (r.finishReason === 'non-finite') {
      throw new InputError(`${modelPath}: the model's logits hold NaN or ±Inf (after ${r.generatedIds.length} generated tokens); the model is broken — check its weights (compbench compress names a non-finite tensor)`);
    }
    out(values.json ? JSON.stringify({ prompt_ids: r.promptIds, generated_ids: r.generatedIds, text: r.text }) : r.text);
  } finally {
    await adapter.dispose?.();
  }
  return 0;
}
