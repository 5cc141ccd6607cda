import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { compareRuns } from './compare-runs.js';
import { comparisonLines } from './format-comparison.js';
import { loadRunDir } from './load-run.js';
import { integerOption } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { COMPARE_SPEC } from '../../core/cli/specs/compare.js';

/** Usage text of `compbench compare`. */
export const COMPARE_USAGE = commandUsage(COMPARE_SPEC);

/** `compbench compare RUN_A RUN_B`: prints the differences; resolves to the exit code. */
export async function compareCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(COMPARE_SPEC, args);
  if (values.help) {
    out(COMPARE_USAGE);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new InputError(`compare: expected two run folders RUN_A RUN_B, got ${positionals.length}; see 'compbench compare --help'`);
  }
  const seed = integerOption('seed', values.seed, 0, 0);
  const [a, b] = positionals.map((p) => loadRunDir(resolve(p)));
  const comparison = compareRuns(a, b, { seed });
  if (values.json) out(JSON.stringify(comparison, null, 1));
  else for (const line of comparisonLines(comparison)) out(line);
  return 0;
}
