import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { fixed } from '../compare/format-comparison.js';
import { integerOption, parseCommandFlags } from '../compare/parse-flags.js';
import { cellSeries, listRuns, measurementSeries, type CellFilter, type HistoryRun, type HistorySeries } from './query.js';
import { appendRecord, openHistory } from './store.js';
import { readRunRecord } from '../compare/load-run.js';
import { classifyTrend, sparkline, type TrendVerdict } from './trend.js';
import { createHash } from 'node:crypto';

/** Where the history lives unless --db says otherwise: beside the runs `compbench run` writes. */
export const DEFAULT_HISTORY_DB = 'runs/history.sqlite';

/** Usage text of `compbench history`. */
export const HISTORY_USAGE = `usage: compbench history [--db FILE] [--add RUN_DIR]... [--runs N] [--cell VARIANT/SUITE/METRIC] [--k K] [--fail-on-regression]
  --add RUN_DIR  record a run folder first (idempotent: a run already recorded is skipped)
  Lists the last N runs (default 10) and, for each cell's main metric (or the --cell
  given), its trend and a flag. REGRESSION: the newest value leaves mean ± max(3·sd,
  its own CI half-width, 1% of the mean) of the K (default 5) runs before it, in the
  worse direction. Fewer than K prior runs: insufficient history. Default --db:
  ${DEFAULT_HISTORY_DB} (relative to the current folder). Exit 0; with
  --fail-on-regression, 1 when any series is flagged; 2 on invalid input.`;

/** `compbench history`: records runs (--add) and prints trends; resolves to the exit code. */
export async function historyCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandFlags(
    'history',
    args,
    {
      db: { type: 'string' },
      add: { type: 'string', multiple: true },
      runs: { type: 'string' },
      cell: { type: 'string' },
      k: { type: 'string' },
      'fail-on-regression': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    false,
  );
  if (values.help) {
    out(HISTORY_USAGE);
    return 0;
  }
  const dbPath = resolve(values.db ?? DEFAULT_HISTORY_DB);
  const shown = integerOption('runs', values.runs, 10, 1);
  const k = integerOption('k', values.k, 5, 2);
  const filter = values.cell === undefined ? ({ kind: 'main' } as const) : parseCell(values.cell);
  const adds = (values.add ?? []).map((dir) => {
    const { record, text } = readRunRecord(resolve(dir));
    return { record, sha: createHash('sha256').update(text).digest('hex'), dir: resolve(dir) };
  });
  if (adds.length === 0 && !existsSync(dbPath)) {
    throw new InputError(`${dbPath}: no history database yet — record a run with 'compbench history --add RUN_DIR' or give --db FILE`);
  }
  const db = openHistory(dbPath);
  try {
    for (const add of adds) out(`${appendRecord(db, add.record, add.sha, add.dir).status}: ${add.record.runId} (${add.dir})`);
    // The rule needs K runs before the newest even when fewer are displayed.
    const runs = listRuns(db, Math.max(shown, k + 1));
    const display = runs.slice(-shown);
    out(`history ${dbPath}: ${runs.length === 0 ? 'no runs recorded' : `last ${display.length} run(s), oldest first`}`);
    for (const line of runLines(display)) out(line);
    const series = [...cellSeries(db, runs, filter), ...(filter.kind === 'main' ? measurementSeries(db, runs) : [])];
    if (filter.kind === 'one' && series.length === 0) throw new InputError(`--cell ${values.cell}: no such cell × metric in ${dbPath}`);
    let flagged = 0;
    out(`trends (K=${k} prior runs define the noise band; newest last):`);
    for (const s of series) {
      const verdict = classifyTrend(s.points, { k, higherIsBetter: s.higherIsBetter });
      if (verdict.status === 'regression') flagged++;
      out(trendLine(s, verdict, display.length));
    }
    out(flagged === 0 ? 'no regression flagged' : `${flagged} REGRESSION(s) flagged`);
    return flagged > 0 && values['fail-on-regression'] ? 1 : 0;
  } finally {
    db.close();
  }
}

/** Parses `VARIANT/SUITE/METRIC`; the variant may itself contain '/' (e.g. `teacher/rtn-w4`). */
export function parseCell(text: string): CellFilter {
  const parts = text.split('/');
  if (parts.length < 3 || parts.some((p) => p === '')) {
    throw new InputError(`--cell ${text}: expected VARIANT/SUITE/METRIC, e.g. --cell teacher/knowledge-closed/exact_match`);
  }
  const metric = parts.pop() as string;
  const suiteId = parts.pop() as string;
  return { kind: 'one', variantId: parts.join('/'), suiteId, metric };
}

function runLines(runs: readonly HistoryRun[]): string[] {
  const header = `  ${'RUN ID'.padEnd(26)} ${'DATE'.padEnd(16)} ${'SHA'.padEnd(8)} COMPLETE VERDICT`;
  return [
    header,
    ...runs.map(
      (r) =>
        `  ${r.runId.padEnd(26)} ${r.createdAt.slice(0, 16).replace('T', ' ').padEnd(16)} ${(r.gitSha ?? '-').slice(0, 8).padEnd(8)} ${(r.complete ? 'yes' : 'NO').padEnd(8)} ${r.verdict ?? '-'}`,
    ),
  ];
}

function trendLine(s: HistorySeries, v: TrendVerdict, shown: number): string {
  const values = s.points.slice(-shown).map((p) => p.value);
  const head = `  ${s.key.padEnd(40)} ${sparkline(values).padEnd(Math.max(shown, 5))} ${fixed(values.at(-1)).padStart(9)}`;
  switch (v.status) {
    case 'missing':
      return `${head}  MISSING (errored or absent in the newest run)`;
    case 'insufficient-history':
      return `${head}  insufficient history (${v.prior}/${v.k} prior runs)`;
    default: {
      const band = `band [${fixed(v.band.low)}, ${fixed(v.band.high)}] (${v.band.widthFrom})`;
      const flag = v.status === 'regression' ? 'REGRESSION' : v.status === 'improvement' ? 'improved' : 'ok';
      return `${head}  ${band} ${flag}`;
    }
  }
}
