import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { integerOption } from '../compare/parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { HISTORY_SPEC } from '../../core/cli/specs/history.js';
import { fixed } from '../compare/format-comparison.js';
import { cellLines, changedLines, measurementLines, runLines } from './format-night.js';
import { DEFAULT_NIGHT_RULE, evaluateNight, type NightRule } from './night.js';
import { cellValues, getRun, listRuns, type CellName } from './query.js';
import { acceptNight, appendNight, openHistory, readNight } from './store.js';
import { sparkline } from './trend.js';

/** Where the history lives unless --db says otherwise: beside the runs `compbench run` writes. */
export const DEFAULT_HISTORY_DB = 'runs/history.sqlite';

/** Usage text of `compbench history`. */
export const HISTORY_USAGE = commandUsage(HISTORY_SPEC);

/** `compbench history`: records nights (--add), signs them off (--accept), compares the newest; resolves to the exit code. */
export async function historyCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseCommandArgs(HISTORY_SPEC, args);
  if (values.help) {
    out(HISTORY_USAGE);
    return 0;
  }
  const dbPath = resolve(values.db ?? DEFAULT_HISTORY_DB);
  const shown = integerOption('runs', values.runs, 10, 1);
  const rule: NightRule = {
    k: integerOption('k', values.k, DEFAULT_NIGHT_RULE.k, 2),
    tolerance: shareOption('tolerance', values.tolerance, DEFAULT_NIGHT_RULE.tolerance, Infinity),
    maxFlipRate: shareOption('max-flip-rate', values['max-flip-rate'], DEFAULT_NIGHT_RULE.maxFlipRate, 1),
  };
  const cell = values.cell === undefined ? undefined : parseCell(values.cell);
  if (values.accept !== undefined && (values.note === undefined || values.note.trim() === '')) {
    throw new InputError(`--accept ${values.accept} needs --note TEXT saying who signs it off and why`);
  }
  const adds = (values.add ?? []).map(readNight);
  if (adds.length === 0 && !existsSync(dbPath)) {
    throw new InputError(`${dbPath}: no history database yet — record a run with 'compbench history --add RUN_DIR' or give --db FILE`);
  }
  const db = openHistory(dbPath);
  try {
    for (const night of adds) {
      const r = appendNight(db, dbPath, night, rule);
      out(`${r.status}: ${r.runId} (${night.dir}) — ${r.night}${r.reference ? ` against ${r.reference}` : ' (first night)'}`);
    }
    if (values.accept !== undefined) {
      acceptNight(db, dbPath, values.accept, values.note as string);
      out(`accepted: ${values.accept} (${values.note}) — later nights are compared with it`);
    }
    const runs = listRuns(db, shown);
    const newest = runs.at(-1);
    if (newest === undefined) {
      out(`history ${dbPath}: no nights recorded`);
      return 0;
    }
    const report = evaluateNight(db, newest.runId, rule);
    const reference = report.reference === null ? undefined : getRun(db, report.reference);
    out(`history ${dbPath}: newest night ${newest.runId} (${newest.createdAt.slice(0, 16).replace('T', ' ')})${reference ? ` vs last accepted night ${reference.runId} (${reference.createdAt.slice(0, 16).replace('T', ' ')})` : ''}`);
    for (const line of changedLines(report, newest, reference)) out(line);
    out(`nights (last ${runs.length}, oldest first):`);
    for (const line of runLines(runs)) out(line);
    const key = cell && `${cell.variantId}/${cell.suiteId}/${cell.metric}`;
    if (cell) {
      const series = cellValues(db, runs, cell);
      if (series === null) throw new InputError(`--cell ${key}: no such cell × metric in ${dbPath}`);
      out(`${key}: ${sparkline(series)} ${series.map((v) => fixed(v)).join(' ')}`);
    }
    for (const line of cellLines(report, rule, key)) out(line);
    if (!cell) for (const line of measurementLines(report)) out(line);
    return verdict(report.flagged, newest, report.reference, values['fail-on-regression'], out);
  } finally {
    db.close();
  }
}

function verdict(flagged: number, newest: { runId: string; acceptedNote: string | null }, reference: string | null, failOnRegression: boolean, out: (line: string) => void): number {
  if (flagged === 0) {
    out(`no change flagged: ${newest.runId} matches ${reference ?? 'nothing (first night)'}`);
    return 0;
  }
  if (newest.acceptedNote !== null) {
    out(`${flagged} change(s) flagged, signed off: ${newest.acceptedNote}`);
    return 0;
  }
  out(`${flagged} change(s) FLAGGED: ${newest.runId} stays out of the references until 'compbench history --accept ${newest.runId} --note TEXT'`);
  return failOnRegression ? 1 : 0;
}

function shareOption(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new InputError(`--${name} must be a number ≥ 0${max < Infinity ? ` and ≤ ${max}` : ''} (got '${value}')`);
  return n;
}

/** Parses `VARIANT/SUITE/METRIC`; the variant may itself contain '/' (e.g. `teacher/rtn-w4`). */
export function parseCell(text: string): CellName {
  const parts = text.split('/');
  if (parts.length < 3 || parts.some((p) => p === '')) {
    throw new InputError(`--cell ${text}: expected VARIANT/SUITE/METRIC, e.g. --cell teacher/knowledge-closed/exact_match`);
  }
  const metric = parts.pop() as string;
  const suiteId = parts.pop() as string;
  return { variantId: parts.join('/'), suiteId, metric };
}
