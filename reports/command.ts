import { parseArgs } from 'node:util';
import { InputError, messageOf } from '../core/errors.js';
import { renderReport } from './render.js';

/** Usage of `compbench report`. */
export const REPORT_USAGE = `usage: compbench report RUN_DIR [--out DIR] [--baseline-run DIR] [--change-log-dir DIR] [--history-db FILE] [--no-png]
  writes report.html, charts/*.png, results.csv, junit.xml (gate rules and errored cells for CI),
  summary.md (Markdown for a GitHub job summary or PR comment) and changes/<variant>.md|html (default into RUN_DIR/report)
  --baseline-run DIR    an earlier run of the same models: shown beside this one; its changes-log/ folder is continued
  --change-log-dir DIR  folder of the append-only change logs (default: changes-log/ beside the run folder)
  --history-db FILE     history store for trends (default: history.sqlite beside the run folder)`;

/** `compbench report RUN_DIR …`: renders a run folder; resolves to the exit code. */
export async function reportCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        'baseline-run': { type: 'string' },
        'change-log-dir': { type: 'string' },
        'history-db': { type: 'string' },
        'no-png': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new InputError(`report: ${messageOf(e)}; ${REPORT_USAGE.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
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
