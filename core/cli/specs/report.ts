import type { CommandSpec } from '../flag-table.js';

/** `compbench report`. */
export const REPORT_SPEC = {
  name: 'report',
  summary: 'render a run folder: report.html, charts, results.csv, junit.xml, summary.md, change records',
  synopsis: 'RUN_DIR [--out DIR] [--baseline-run DIR] [--change-log-dir DIR] [--history-db FILE] [--no-png]',
  positionals: { min: 1, max: 1 },
  flags: {
    out: { type: 'string', value: 'DIR', default: 'RUN_DIR/report', help: 'where the files go' },
    'baseline-run': { type: 'string', value: 'DIR', help: 'an earlier run of the same models: shown beside this one; its changes-log/ folder is continued' },
    'change-log-dir': { type: 'string', value: 'DIR', default: 'changes-log/ beside the run folder', help: 'folder of the append-only change logs' },
    'history-db': { type: 'string', value: 'FILE', default: 'history.sqlite beside the run folder', help: 'history store for trends' },
    'no-png': { type: 'boolean', help: 'skip charts/*.png' },
  },
  example: 'compbench report runs/latest --baseline-run runs/previous',
  details: [
    'Writes report.html, charts/*.png, results.csv, junit.xml (gate rules and errored cells for CI),',
    'summary.md (Markdown for a GitHub job summary or PR comment) and changes/<variant>.md|html.',
  ],
} as const satisfies CommandSpec;
