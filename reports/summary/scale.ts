import { deltaTone } from '../sections/heatmap.js';
import { isShare } from '../format.js';
import type { DeltaView } from '../record-view.js';

/**
 * How much better a Δ is, in "full colour" units: 10 points for a share, 10% of the
 * baseline otherwise (the heatmap's colour scale, reports/sections/heatmap.ts). Negative: worse.
 */
export function betterBy(delta: number, d: Pick<DeltaView, 'baselineMean'>, unit: string, higherIsBetter: boolean): number {
  const scale = isShare(unit) ? 0.1 : Math.max(1e-9, 0.1 * Math.abs(d.baselineMean));
  return ((higherIsBetter ? 1 : -1) * delta) / scale;
}

/** Where a paired Δ's 95% CI lies: wholly on the better side, wholly on the worse side, or across 0. */
export function ciSide(d: Pick<DeltaView, 'low' | 'high'>, higherIsBetter: boolean): 'better' | 'worse' | 'either' {
  const sign = higherIsBetter ? 1 : -1;
  const a = sign * d.low;
  const b = sign * d.high;
  if (Math.min(a, b) > 0) return 'better';
  if (Math.max(a, b) < 0) return 'worse';
  return 'either';
}

/** The heatmap cell colour of a Δ (green better, red worse). */
export function toneOf(d: DeltaView, unit: string, higherIsBetter: boolean): string {
  return deltaTone(d.delta, d.baselineMean, higherIsBetter, isShare(unit));
}

/** A Δ as a cell's few characters: points for a share (`−5.2`), percent of the baseline otherwise (`+3.1%`). */
export function compactDelta(d: Pick<DeltaView, 'delta' | 'baselineMean'>, unit: string): string {
  if (!Number.isFinite(d.delta)) return 'n/a';
  const x = isShare(unit) ? d.delta * 100 : d.baselineMean === 0 ? Number.NaN : (100 * d.delta) / Math.abs(d.baselineMean);
  if (!Number.isFinite(x)) return 'n/a';
  const abs = Math.abs(x);
  const text = abs >= 99.5 ? abs.toFixed(0) : abs.toFixed(1);
  const sign = text === '0.0' ? '' : x > 0 ? '+' : '−';
  return `${sign}${text}${isShare(unit) ? '' : '%'}`;
}
