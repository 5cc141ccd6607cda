import type { JsonDifference } from './json-diff.js';
import type { CellChange, CellSide, RunComparison } from './compare-runs.js';
import type { IdentityChange } from './header-diff.js';
import { measurementLines } from './format-measurements.js';

/** A number with 3 decimals, or `n/a`. */
export function fixed(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3);
}

function signed(v: number | null): string {
  return v === null || !Number.isFinite(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
}

function shown(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function differenceLines(title: string, list: readonly JsonDifference[]): string[] {
  if (list.length === 0) return [`  ${title}: unchanged`];
  return [`  ${title}:`, ...list.map((d) => `    ${d.path}: ${shown(d.a)} -> ${shown(d.b)}`)];
}

function identityLines(title: string, list: readonly IdentityChange[]): string[] {
  if (list.length === 0) return [`  ${title}: unchanged`];
  const short = (h: string | null): string => (h === null ? '(absent)' : h.slice(0, 12));
  return [`  ${title}:`, ...list.map((c) => `    ${c.id}: ${c.change} ${short(c.a)} -> ${short(c.b)}`)];
}

function sideText(s: CellSide): string {
  if (s.state === 'errored') return 'ERRORED';
  return `${fixed(s.value)} [${fixed(s.low)}, ${fixed(s.high)}] n=${s.n}${s.tooFew ? '*' : ''}`;
}

function pairedText(c: CellChange): string {
  if (c.paired === null) return 'unpaired (no instances.jsonl)';
  const { pairing, delta, flips } = c.paired;
  const unpaired = pairing.hashChanged + pairing.onlyA + pairing.onlyB + pairing.erroredEither;
  const parts = [`paired n=${pairing.matched}`];
  if (delta) parts.push(`Δ ${signed(delta.delta)} [${signed(delta.low)}, ${signed(delta.high)}]`);
  if (flips) parts.push(`flips ${flips.rightToWrong}↓ ${flips.wrongToRight}↑ McNemar p=${flips.mcnemarP.toPrecision(3)}`);
  if (unpaired > 0) {
    parts.push(
      `unpaired ${unpaired} (hash changed ${pairing.hashChanged}, only A ${pairing.onlyA}, only B ${pairing.onlyB}, errored ${pairing.erroredEither})`,
    );
  }
  return parts.join('; ');
}

/** The comparison as plain-text lines: header differences, one block per cell × metric, then measurements. */
export function comparisonLines(c: RunComparison): string[] {
  const lines = [
    `compare A=${c.a.runId} (${c.a.dir}) B=${c.b.runId} (${c.b.dir}); Δ = B − A`,
    'header:',
    ...differenceLines('harness', c.header.harness),
    ...differenceLines('config', c.header.config),
    ...differenceLines('hardware', c.header.hardware),
    ...identityLines('suite hashes', c.header.suites),
    ...identityLines('variant model hashes', c.header.variants),
  ];
  if (c.header.baseline) lines.push(`  baseline: ${c.header.baseline.a} -> ${c.header.baseline.b}`);
  lines.push(`cells (${c.cells.length} in both; * = too few instances for the CI width):`);
  for (const cell of c.cells) {
    const direction = cell.higherIsBetter ? 'higher is better' : 'lower is better';
    lines.push(`  ${cell.variantId}/${cell.suiteId}/${cell.metric} (${direction})`);
    lines.push(`    A ${sideText(cell.a)}  B ${sideText(cell.b)}  Δ ${signed(cell.delta)}`);
    lines.push(`    ${pairedText(cell)}${cell.note ? ` (${cell.note})` : ''}`);
  }
  lines.push(c.onlyA.length === 0 ? 'only in A: none' : `only in A: ${c.onlyA.join(', ')}`);
  lines.push(c.onlyB.length === 0 ? 'only in B: none' : `only in B: ${c.onlyB.join(', ')}`);
  lines.push(...measurementLines(c.measurements));
  return lines;
}
