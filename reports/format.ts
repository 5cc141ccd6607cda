import type { ClusterInfo } from '../core/stats/clusters.js';
import type { PowerEstimate } from '../core/stats/power.js';
import type { DeltaView, FlipView, SummaryView } from './record-view.js';

/** A metric with unit '' is a share in [0, 1]: shown as a percentage, Δ in points. */
export function isShare(unit: string): boolean {
  return unit === '';
}

function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return x.toExponential(2);
  return x.toFixed(abs >= 100 ? 1 : digits);
}

function signed(text: string, x: number): string {
  return x > 0 ? `+${text}` : x < 0 ? text.replace('-', '−') : text;
}

/** A value with its unit: `62.0%`, `19.73 ppl`; `n/a` for null. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (isShare(unit)) return `${(value * 100).toFixed(1)}%`;
  return `${num(value)} ${unit}`;
}

/** `value [low, high], n=N` with the too-few flag, and groups and effective n when instances come in groups. */
export function formatSummary(s: SummaryView | undefined | null, unit: string): string {
  if (!s || s.value === null) return `n/a${s ? `, n=${s.n}` : ''}`;
  const scale = isShare(unit) ? 100 : 1;
  const ci = s.low === null || s.high === null ? '' : ` [${bound(s.low * scale, unit)}, ${bound(s.high * scale, unit)}]`;
  return `${formatValue(s.value, unit)}${ci}, n=${s.n}${formatClustering(s.clustering)}${s.tooFew ? ' (too few)' : ''}`;
}

/** ` (20 groups, effective n 43)`, or '' when every instance is its own unit. */
export function formatClustering(c: ClusterInfo | undefined): string {
  return c ? ` (${c.groups} groups, effective n ${c.nEffective.toFixed(0)})` : '';
}

/** McNemar's p, and the test over groups when the suite has them: `p=0.065 per instance, p=0.25 over 20 groups`. */
export function formatFlipP(f: FlipView): string {
  const perInstance = `McNemar p=${f.mcnemarP.toPrecision(3)}${f.clustered ? ' per instance' : ''}`;
  return f.clustered ? `${perInstance}, p=${f.clustered.p.toPrecision(3)} over ${f.clustered.groups} groups (sign-flip)` : perInstance;
}

function bound(x: number, unit: string): string {
  return isShare(unit) ? x.toFixed(1) : num(x);
}

/** A signed difference with its unit: `−5.2 pp`, `+0.12 ppl`. */
export function formatDifference(delta: number, unit: string): string {
  if (!Number.isFinite(delta)) return 'n/a';
  if (isShare(unit)) return `${signed((delta * 100).toFixed(1), delta)} pp`;
  return `${signed(num(delta), delta)} ${unit}`;
}

/** `Δ [low, high], n=N` (paired), and `· MDE 7.9 pp` when the comparison's power is given (docs/power.md). */
export function formatDelta(d: DeltaView | undefined, unit: string, power?: PowerEstimate): string {
  if (!d || !Number.isFinite(d.delta)) return 'n/a';
  const scale = isShare(unit) ? 100 : 1;
  const b = (x: number): string => signed(isShare(unit) ? (x * scale).toFixed(1) : num(x), x);
  const mde = power ? ` · MDE ${formatMde(power, unit)}` : '';
  return `${formatDifference(d.delta, unit)} [${b(d.low)}, ${b(d.high)}], n=${d.n}${formatClustering(d.clustering)}${mde}`;
}

/** The minimum detectable effect in the metric's unit, unsigned: `7.9 pp`, `0.052 ppl`. */
export function formatMde(power: PowerEstimate, unit: string): string {
  return isShare(unit) ? `${(power.mde * 100).toFixed(1)} pp` : `${num(power.mde)} ${unit}`.trimEnd();
}

/** What an MDE rests on, in words: `α 0.05, power 0.8; ρ_d 12.0% of 250 items: k·√(ρ_d/m)`. */
export function formatPowerBasis(power: PowerEstimate): string {
  const m = Number.isInteger(power.m) ? String(power.m) : power.m.toFixed(1);
  const how = power.method === 'disagreement' ? 'k·√(ρ_d/m), at least k²/m' : 'k·SE of the paired bootstrap';
  return `α ${power.alpha}, power ${power.power}; models disagree on ${(power.disagreementRate * 100).toFixed(1)}% of ${m} items; ${how}`;
}

/** Bytes as MB (10^6) with the exact count kept for sorting by callers. */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** Milliseconds with 3 significant digits. */
export function formatMs(ms: number): string {
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

/** A plain number for tables (3 decimals, or exponent for very small/large). */
export function formatNumber(x: number): string {
  return num(x);
}
