import type { FigureChange, MeasurementChange, MeasurementSide } from './measurement-diff.js';

const MIB = 1024 * 1024;

/** A measured figure in its unit (bytes as MiB), or `n/a`. */
export function figureValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (unit === 'bytes') return `${(v / MIB).toFixed(1)} MiB`;
  if (unit === 'J' || unit === 'J/token') return `${v.toPrecision(3)} ${unit}`;
  return unit === 'ms' ? v.toFixed(3) : `${v.toFixed(1)} ${unit}`;
}

function signed(v: number, unit: string): string {
  const text = figureValue(Math.abs(v), unit);
  return `${v < 0 ? '−' : '+'}${text}`;
}

function sideText(s: MeasurementSide): string {
  switch (s.state) {
    case 'absent':
      return 'not measured';
    case 'not-applicable':
      return `n/a (${s.detail})`;
    case 'errored':
      return `ERRORED (${s.detail})`;
    default:
      return `measured${s.replayed ? ' (replayed from cache)' : ''}: ${s.decodeSamples} decode steps, ${s.prefillSamples} prefill passes, ${s.intraOpNumThreads} thread(s), energy ${s.energyProvenance}`;
  }
}

function figureLine(f: FigureChange): string {
  const head = `    ${f.label.padEnd(18)} ${figureValue(f.a, f.unit).padStart(14)} -> ${figureValue(f.b, f.unit).padEnd(14)}`;
  if (f.delta === null) return head;
  const pct = f.relative === null ? '' : ` (${f.relative >= 0 ? '+' : '−'}${Math.abs(f.relative * 100).toFixed(1)}%)`;
  const noise =
    f.withinRun === null
      ? 'no within-run repeats'
      : `${f.beyondNoise ? 'BEYOND' : 'within'} ±${figureValue(f.withinRun, f.unit)} (3 × one repeat's spread)`;
  return `${head} Δ ${signed(f.delta, f.unit)}${pct}; ${noise}`;
}

/** The measurement part of `compbench compare`: per variant, both sides' provenance, then each figure. */
export function measurementLines(changes: readonly MeasurementChange[]): string[] {
  if (changes.length === 0) return ['measurements: neither run measured speed, memory or energy'];
  const lines = ['measurements (Δ = B − A; the band is the larger of the two runs\' within-run spreads):'];
  for (const c of changes) {
    lines.push(`  ${c.variantId}`, `    A ${sideText(c.a)}`, `    B ${sideText(c.b)}`);
    if (c.a.state === 'measured' || c.b.state === 'measured') lines.push(...c.figures.map(figureLine));
    for (const note of c.notes) lines.push(`    note: ${note}`);
  }
  return lines;
}
