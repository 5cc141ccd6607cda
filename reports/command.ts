import { InputError } from '../core/errors.js';
import { commandUsage, parseCommandArgs } from '../core/cli/index.js';
import { REPORT_SPEC } from '../core/cli/specs/report.js';
import { renderReport } from './render.js';

/** Usage of `compbench report`. */
export const REPORT_USAGE = commandUsage(REPORT_SPEC);

/** `compbench report RUN_DIR …`: renders a run folder; resolves to the exit code. */
export async function reportCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(REPORT_SPEC, args);
  if (values.help) {
    out(REPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`report: expected one RUN_DIR, got ${positionals.length}; ${REPORT_USAGE.split('\n')[0]}`);
  const result = await renderReport(positionals[0], {
    ...(values.out ? { outDir: values.out } : {}),
    ...(values['baseline-run'] ? { baselineRunDir: values['baseline-run'] } : {}),
    ...(values['change-log-dir'] ? { changeLogDir: values['change-log-dir'] } : {}),
    ...(values['history-db'] ? { historyDb: values['history-db'] } : {}),
    pngs: !values['no-png'],
  });
  out(`wrote ${result.files.length} files to ${result.outDir} in ${(result.durationMs / 1000).toFixed(2)} s`);
  for (const file of result.files) out(`  ${file}`);
  return 0;
}
