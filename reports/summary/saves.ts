import type { SavingsRecord } from '../../core/savings.js';
import type { RunRecord } from '../../core/run-record.js';
import { formatBytes } from '../format.js';

/** The summary's "saves" columns of one variant: raw text (the renderer escapes it) and a tooltip. */
export interface SavesFigures {
  readonly disk: SavesFigure;
  readonly memory: SavesFigure;
  readonly speed: SavesFigure;
}

/** One "saves" figure, or why there is none. */
export interface SavesFigure {
  readonly text: string;
  readonly value?: number;
  readonly title: string;
}

/** A share saved as `−72%` (negative: the variant is larger). */
export function savedPercent(saving: number): string {
  if (!Number.isFinite(saving)) return 'n/a';
  const pct = Math.round(saving * 100);
  return pct === 0 ? '0%' : pct > 0 ? `−${pct}%` : `+${-pct}%`;
}

function details(s: Extract<SavingsRecord, { state: 'computed' }>): string {
  const bits = s.bitsPerParameter ? `; ${s.bitsPerParameter.variant.toFixed(2)} vs ${s.bitsPerParameter.parent.toFixed(2)} bits/param stored` : '';
  const at70 = s.weightProjection?.scales.find((x) => x.label === '70B');
  const projection = at70 ? `; projected 70B weights ${(at70.bytes / 1e9).toFixed(1)} GB vs ${(at70.parentBytes / 1e9).toFixed(1)} GB` : '';
  const replayed = s.replayed ? ' (replayed from the measurement cache)' : '';
  return `of ${s.parent}${bits}${projection}${replayed}`;
}

/** The "saves" columns of a variant: disk and peak-RSS saving and decode speedup against its parent, from the record's savings. */
export function savesOf(record: RunRecord, variantId: string): SavesFigures | undefined {
  const s = record.savings?.find((x) => x.variantId === variantId);
  if (!s) return undefined;
  if (s.state === 'not-applicable') {
    const text = s.reason.startsWith('n/a (simulated)') ? 'n/a' : '—';
    const off = { text, title: s.reason };
    return { disk: off, memory: off, speed: off };
  }
  const more = details(s);
  return {
    disk: { text: savedPercent(s.diskBytes.saving), value: s.diskBytes.saving, title: `bytes on disk ${formatBytes(s.diskBytes.variant)} vs ${formatBytes(s.diskBytes.parent)} ${more}` },
    memory: { text: savedPercent(s.peakRssBytes.saving), value: s.peakRssBytes.saving, title: `peak RSS ${formatBytes(s.peakRssBytes.variant)} vs ${formatBytes(s.peakRssBytes.parent)} ${more}` },
    speed: {
      text: Number.isFinite(s.decodeTokensPerS.speedup) ? `${s.decodeTokensPerS.speedup.toFixed(2)}×` : 'n/a',
      value: s.decodeTokensPerS.speedup,
      title: `decode ${s.decodeTokensPerS.variant.toFixed(1)} vs ${s.decodeTokensPerS.parent.toFixed(1)} tokens/s, prefill ${s.prefillTokensPerS.speedup.toFixed(2)}× ${more}`,
    },
  };
}
