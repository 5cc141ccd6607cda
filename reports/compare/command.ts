import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { compareRuns } from './compare-runs.js';
import { comparisonLines } from './format-comparison.js';
import { loadRunDir } from './load-run.js';
import { integerOption, parseCommandFlags } from './parse-flags.js';

/** Usage text of `compbench compare`. */
export const COMPARE_USAGE = `usage: compbench compare RUN_A RUN_B [--json] [--seed N]
  What changed from run A to run B (two nights, or two harness versions): harness,
  config (as JSON paths), hardware, suite and model hashes, then every variant × suite
  × metric: A value [95% CI], B value [CI], Δ = B − A, and on instances present in both
  runs with the same id and hash, the paired bootstrap Δ CI and, for 0/1 metrics, flips
  and McNemar's exact p; then measurements: prefill and decode p50/p90/p95/p99, tokens/s,
  peak RSS and energy of each variant, each side's provenance (measured or replayed from the
  cache, energy counter or estimate) and whether Δ exceeds the runs' within-run spread.
  Exit 0, or 2 on invalid input.`;

/** `compbench compare RUN_A RUN_B`: prints the differences; resolves to the exit code. */
export async function compareCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandFlags(
    'compare',
    args,
    { json: { type: 'boolean', default: false }, seed: { type: 'string' }, help: { type: 'boolean', default: false } },
    true,
  );
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
