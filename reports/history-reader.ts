import { existsSync } from 'node:fs';
import { messageOf } from '../core/errors.js';
import type { HistoryResult } from './sections/history.js';

/** Runs shown in the report's trends. */
export const HISTORY_RUNS = 20;

/**
 * Reads trends from a history store (`runs/history.sqlite`, written by `compbench
 * history --add`) through the history module's own reader. The module is imported
 * lazily, so a report still renders when SQLite cannot be loaded; the section then
 * says why there is no trend.
 */
export async function readHistory(dbPath: string | undefined): Promise<HistoryResult> {
  if (dbPath === undefined || !existsSync(dbPath)) return { state: 'absent', reason: dbPath ? `${dbPath} does not exist` : 'no history database given' };
  try {
    const history = await import('./history/index.js');
    const db = history.openHistory(dbPath, { mustExist: true });
    try {
      const runs = history.listRuns(db, HISTORY_RUNS);
      const series = history.mainSeries(db, runs);
      return {
        state: 'found',
        trends: {
          source: dbPath,
          runs: runs.map((r) => ({ runId: r.runId, createdAt: r.createdAt, verdict: r.verdict })),
          series: series.map((s) => ({ key: s.key, higherIsBetter: s.higherIsBetter, values: [...s.values] })),
        },
      };
    } finally {
      db.close();
    }
  } catch (e) {
    return { state: 'absent', reason: `${dbPath} could not be read (${messageOf(e)})` };
  }
}
