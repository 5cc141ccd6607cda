import type { MeasurementRecord, RunRecord } from '../../core/run-record.js';
import { MEASURE_FIGURES, type MeasuredRecord } from './measure-figures.js';

/** One run's measurement of a variant, as `compare` shows it. */
export interface MeasurementSide {
  /** `absent`: the run has no measurement record for the variant (measurement off, or not in the run). */
  readonly state: MeasurementRecord['state'] | 'absent';
  /** Replayed from the measurement cache rather than measured by this run. */
  readonly replayed: boolean;
  /** How the energy figure was obtained (`rapl`, `nvml`, `estimated`), when measured. */
  readonly energyProvenance: string | null;
  readonly decodeSamples: number | null;
  readonly prefillSamples: number | null;
  readonly intraOpNumThreads: number | null;
  /** Why there is no figure (the not-applicable reason or the error). */
  readonly detail: string | null;
}

/** One figure of a variant in runs A and B. */
export interface FigureChange {
  readonly figure: string;
  readonly label: string;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly a: number | null;
  readonly b: number | null;
  /** B − A, and (B − A)/A. */
  readonly delta: number | null;
  readonly relative: number | null;
  /** The larger of the two runs' within-run half-widths (3 × the spread of one repeat); null without repeats. */
  readonly withinRun: number | null;
  /** |Δ| beyond the within-run half-width; null without repeats or without both figures. */
  readonly beyondNoise: boolean | null;
}

/** Speed, memory and energy of one variant, A against B (Δ = B − A). */
export interface MeasurementChange {
  readonly variantId: string;
  readonly a: MeasurementSide;
  readonly b: MeasurementSide;
  readonly figures: readonly FigureChange[];
  /** What makes a figure incomparable or a side less than a measurement (provenance, threads, replay). */
  readonly notes: readonly string[];
}

function sideOf(m: MeasurementRecord | undefined): MeasurementSide {
  if (m === undefined) return { state: 'absent', replayed: false, energyProvenance: null, decodeSamples: null, prefillSamples: null, intraOpNumThreads: null, detail: null };
  if (m.state !== 'measured') {
    return { state: m.state, replayed: false, energyProvenance: null, decodeSamples: null, prefillSamples: null, intraOpNumThreads: null, detail: m.state === 'errored' ? m.error : m.reason };
  }
  return {
    state: 'measured',
    replayed: m.replayed === true,
    energyProvenance: m.energy.provenance,
    decodeSamples: m.decode.samples,
    prefillSamples: m.prefill.samples,
    intraOpNumThreads: m.intraOpNumThreads,
    detail: null,
  };
}

function measured(m: MeasurementRecord | undefined): MeasuredRecord | null {
  return m !== undefined && m.state === 'measured' ? m : null;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/**
 * Every variant that either run measured (or tried to): its latency percentiles (prefill
 * and decode p50/p90/p95/p99), decode tokens/s, peak RSS and energy in A and B, with the
 * provenance of each side, and whether each Δ exceeds the spread of the repeats inside
 * the two runs. A replayed side repeats an earlier measurement and is marked.
 */
export function compareMeasurements(a: RunRecord, b: RunRecord): MeasurementChange[] {
  const inA = new Map((a.measurements ?? []).map((m) => [m.variantId, m]));
  const inB = new Map((b.measurements ?? []).map((m) => [m.variantId, m]));
  const ids = [...new Set([...inA.keys(), ...inB.keys()])];
  return ids.map((variantId) => {
    const ma = measured(inA.get(variantId));
    const mb = measured(inB.get(variantId));
    const figures = MEASURE_FIGURES.map((f): FigureChange => {
      const va = ma ? f.read(ma) : null;
      const vb = mb ? f.read(mb) : null;
      const delta = va !== null && vb !== null ? vb - va : null;
      const withinRun = maxOrNull(ma ? f.withinRun(ma) : null, mb ? f.withinRun(mb) : null);
      return {
        figure: f.id,
        label: f.label,
        unit: f.unit,
        higherIsBetter: f.higherIsBetter,
        a: va,
        b: vb,
        delta,
        relative: delta !== null && va !== null && va !== 0 ? delta / va : null,
        withinRun,
        beyondNoise: delta === null || withinRun === null ? null : Math.abs(delta) > withinRun,
      };
    });
    return { variantId, a: sideOf(inA.get(variantId)), b: sideOf(inB.get(variantId)), figures, notes: notesOf(ma, mb) };
  });
}

function notesOf(a: MeasuredRecord | null, b: MeasuredRecord | null): string[] {
  const notes: string[] = [];
  if (a && b && a.energy.provenance !== b.energy.provenance) {
    notes.push(`energy provenance differs (${a.energy.provenance} -> ${b.energy.provenance}): the energy figures are not comparable`);
  }
  if (a && b && a.intraOpNumThreads !== b.intraOpNumThreads) notes.push(`intra-op threads differ (${a.intraOpNumThreads} -> ${b.intraOpNumThreads})`);
  if (a && b && (a.decode.tokens !== b.decode.tokens || a.prefill.promptTokens !== b.prefill.promptTokens)) {
    notes.push(`settings differ (decode ${a.decode.tokens} -> ${b.decode.tokens} tokens, prompt ${a.prefill.promptTokens} -> ${b.prefill.promptTokens} tokens)`);
  }
  for (const [side, m] of [['A', a], ['B', b]] as const) {
    if (m?.replayed) notes.push(`${side} replayed its figures from the measurement cache (an earlier measurement of the same bytes, settings and machine)`);
  }
  return notes;
}
