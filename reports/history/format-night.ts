import type { CellChange } from '../compare/compare-runs.js';
import { fixed } from '../compare/format-comparison.js';
import { figureValue } from '../compare/format-measurements.js';
import type { JsonDifference } from '../compare/json-diff.js';
import type { IdentityChange } from '../compare/header-diff.js';
import type { MeasureVerdict } from './measure-series.js';
import type { CellStatus, NightReport, NightRule } from './night.js';
import type { HistoryRun } from './query.js';
import { sparkline } from './trend.js';

const short = (h: string | null): string => (h === null ? '(absent)' : h.slice(0, 12));
const shown = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;

function diffLines(title: string, list: readonly JsonDifference[], hashes?: readonly [string, string]): string[] {
  if (list.length === 0) return [`  ${title}: unchanged`];
  const head = hashes ? `  ${title}: changed (sha256 ${short(hashes[0])} -> ${short(hashes[1])})` : `  ${title}: changed`;
  return [head, ...list.slice(0, 20).map((d) => `    ${d.path}: ${shown(d.a)} -> ${shown(d.b)}`), ...(list.length > 20 ? [`    … and ${list.length - 20} more`] : [])];
}

function identityLines(title: string, list: readonly IdentityChange[]): string[] {
  if (list.length === 0) return [`  ${title}: unchanged`];
  return [`  ${title}:`, ...list.map((c) => `    ${c.id}: ${c.change} ${short(c.a)} -> ${short(c.b)}`)];
}

/** "What changed since the last accepted night": config, models, suites, harness, hardware. */
export function changedLines(report: NightReport, newest: HistoryRun, reference: HistoryRun | undefined): string[] {
  if (report.reference === null) return [`${newest.runId} is the first night: nothing to compare with; it becomes the reference`];
  const head = `what changed since ${report.reference}:`;
  const h = report.header;
  if (h === null || reference === undefined) return [head, `  ${report.note ?? 'not recorded'}`];
  return [
    head,
    ...diffLines('config', h.config, [reference.configHash, newest.configHash]),
    ...identityLines('models (onnx sha256)', h.variants),
    ...identityLines('suites (content hash)', h.suites),
    ...diffLines('harness', h.harness),
    ...diffLines('hardware', h.hardware, [reference.hardwareHash, newest.hardwareHash]),
    ...(h.baseline ? [`  baseline: ${h.baseline.a} -> ${h.baseline.b}`] : []),
  ];
}

const STATUS_TEXT: Readonly<Record<CellStatus, string>> = {
  same: 'same',
  regression: 'REGRESSION',
  improvement: 'improved',
  flips: 'FLIPS',
  missing: 'MISSING',
  'changed-unpaired': 'CHANGED (unpaired)',
  new: 'new',
  recovered: 'recovered',
  'still-errored': 'still errored',
};

function pairedText(c: CellChange): string {
  if (c.a.state === 'errored' || c.b.state === 'errored') return `${c.a.state === 'errored' ? 'ERRORED' : fixed(c.a.value)} -> ${c.b.state === 'errored' ? 'ERRORED' : fixed(c.b.value)}`;
  const values = `${fixed(c.a.value)} -> ${fixed(c.b.value)}`;
  if (!c.paired?.delta) return `${values}  Δ ${c.delta === null ? 'n/a' : signed(c.delta)} (no instances to pair)`;
  const { delta, flips, pairing } = c.paired;
  const parts = [`${values}  Δ ${signed(delta.delta)} [${signed(delta.low)}, ${signed(delta.high)}] paired n=${pairing.matched}`];
  if (flips) parts.push(`flips ${flips.rightToWrong}↓ ${flips.wrongToRight}↑ McNemar p=${flips.mcnemarP.toPrecision(3)}`);
  const unpaired = pairing.hashChanged + pairing.onlyA + pairing.onlyB + pairing.erroredEither;
  if (unpaired > 0) parts.push(`unpaired ${unpaired}`);
  if (pairing.lostInB > 0) parts.push(`${pairing.lostInB} instance(s) scored before are absent or errored now`);
  return parts.join('; ');
}

/** The cells block: main metrics and anything not `same`; the rest counted. */
export function cellLines(report: NightReport, rule: NightRule, only?: string): string[] {
  if (report.reference === null || report.header === null) return [];
  const cells = report.cells.filter((c) => only === undefined || c.key === only);
  const shownCells = only === undefined ? cells.filter((c) => c.main || c.status !== 'same') : cells;
  const width = Math.max(20, ...shownCells.map((c) => c.key.length));
  const lines = [
    `cells vs ${report.reference} (paired by instance, Δ = ${report.runId} − ${report.reference}; flagged when the paired 95% CI of Δ lies beyond ±${rule.tolerance} on the worse side, flips exceed ${(rule.maxFlipRate * 100).toFixed(1)}%, or a cell is missing):`,
    ...shownCells.map((c) => `  ${c.key.padEnd(width)}  ${c.change ? pairedText(c.change) : c.status === 'missing' ? `only in ${report.reference}` : `only in ${report.runId}`}  ${STATUS_TEXT[c.status]}`),
  ];
  const hidden = cells.length - shownCells.length;
  if (hidden > 0) lines.push(`  (${hidden} other metric(s) the same)`);
  return lines;
}

function bandLine(m: Extract<MeasureVerdict, { kind: 'figure' }>, width: number): string {
  const values = m.points.map((p) => p.value);
  const newest = m.points.at(-1);
  const unit = m.figure.unit;
  const head = `  ${m.key.padEnd(width)} ${sparkline(values.slice(-10)).padEnd(10)} ${figureValue(newest?.value, unit).padStart(14)}${newest?.replayed ? ' R' : '  '}`;
  const v = m.verdict;
  switch (v.status) {
    case 'missing':
      return `${head}  MISSING`;
    case 'insufficient-history':
      return `${head}  insufficient repeats (${v.measured} measured night(s), needs ${v.needed} or within-run repeats${v.replayedSkipped > 0 ? `; ${v.replayedSkipped} replayed skipped` : ''})`;
    default: {
      const source =
        v.band.widthFrom === 'nights'
          ? `3·sd of ${v.band.measured} measured nights`
          : v.band.widthFrom === 'within-run'
            ? 'within-run repeats'
            : `1% floor over ${v.band.measured} measured night(s)`;
      const skipped = v.band.replayedSkipped > 0 ? `, ${v.band.replayedSkipped} replayed skipped` : '';
      const flag = v.status === 'regression' ? 'REGRESSION' : v.status === 'improvement' ? 'improved' : 'ok';
      return `${head}  band [${figureValue(v.band.low, unit)}, ${figureValue(v.band.high, unit)}] (${source}${skipped}) ${flag}`;
    }
  }
}

/** The measurements block: each tracked figure against its band, and lost measurements. */
export function measurementLines(report: NightReport): string[] {
  if (report.measurements.length === 0) return [];
  const width = Math.max(20, ...report.measurements.map((m) => m.key.length));
  const slower = report.measurements.some((m) => m.kind === 'figure' && m.verdict.status === 'regression');
  const h = report.header;
  const same = h !== null && [h.config, h.variants, h.suites, h.hardware].every((list) => list.length === 0);
  // A loaded machine slows every figure it measures; the header says whether anything else could have.
  const hint = slower && same ? [`  note: config, models, suites and hardware are unchanged${h.harness.length > 0 ? ' (the harness changed)' : ''}; a busy machine slows measurements too — re-measure on an idle one (measurement.reuse: false) before signing off`] : [];
  return [
    'measurements (bands from really measured repeats: measured nights or within-run repeats; R = replayed from the measurement cache, never narrows a band):',
    ...report.measurements.map((m) =>
      m.kind === 'missing' ? `  ${m.key.padEnd(width)} MISSING (${m.state} in ${report.runId}; ${report.reference ?? 'the reference'} measured it)` : bandLine(m, width),
    ),
    ...hint,
  ];
}

/** The table of nights, oldest first. */
export function runLines(runs: readonly HistoryRun[]): string[] {
  return [
    `  ${'RUN ID'.padEnd(26)} ${'DATE'.padEnd(16)} ${'SHA'.padEnd(8)} COMPLETE GATE STATUS`,
    ...runs.map(
      (r) =>
        `  ${r.runId.padEnd(26)} ${r.createdAt.slice(0, 16).replace('T', ' ').padEnd(16)} ${(r.gitSha ?? '-').slice(0, 8).padEnd(8)} ${(r.complete ? 'yes' : 'NO').padEnd(8)} ${(r.verdict ?? '-').padEnd(4)} ${r.status === 'flagged' ? 'FLAGGED' : r.acceptedNote !== null ? `accepted by hand: ${r.acceptedNote}` : 'accepted'}`,
    ),
  ];
}
