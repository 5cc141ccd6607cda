/**
 * "Savings and capacity" (issue 24): per variant against its parent, the record's savings
 * (core/savings.ts) as tables, each figure with its unit and provenance. Shared by the
 * report section and the change record's efficiency section.
 */
import { COST_FORMULA, PROJECTION_FORMULA, PROJECTION_SCALES, type SavingsRecord } from '../../core/savings.js';
import type { KvCapacityRecord, RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatBytes } from '../format.js';
import { savedPercent } from '../summary/saves.js';
import type { BuiltSection, ReportInput } from './built.js';

type Computed = Extract<SavingsRecord, { state: 'computed' }>;

const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;
const vs = (variant: string, parent: string): string => `${variant} vs ${parent}`;

function kvText(k: KvCapacityRecord): string {
  return k.types.map((t) => `${formatBytes(t.bytesPer1kTokens)} (${t.type})`).join(', ');
}

/** One row per saving of a computed record: figure, variant vs parent, and the saving or speedup. */
function figureRows(s: Computed): (TableCell | string)[][] {
  const rows: (TableCell | string)[][] = [
    ['bytes on disk', vs(formatBytes(s.diskBytes.variant), formatBytes(s.diskBytes.parent)), numCell(savedPercent(s.diskBytes.saving), s.diskBytes.saving)],
  ];
  if (s.bitsPerParameter) rows.push(['bits per parameter stored (scales, zero points included)', vs(s.bitsPerParameter.variant.toFixed(3), s.bitsPerParameter.parent.toFixed(3)), numCell(`${(s.bitsPerParameter.parent / s.bitsPerParameter.variant).toFixed(2)}× fewer`, s.bitsPerParameter.variant)]);
  rows.push(
    ['peak RSS', vs(formatBytes(s.peakRssBytes.variant), formatBytes(s.peakRssBytes.parent)), numCell(savedPercent(s.peakRssBytes.saving), s.peakRssBytes.saving)],
    ['prefill tokens/s (p50)', vs(s.prefillTokensPerS.variant.toFixed(1), s.prefillTokensPerS.parent.toFixed(1)), numCell(`${s.prefillTokensPerS.speedup.toFixed(2)}×`, s.prefillTokensPerS.speedup)],
    ['decode tokens/s', vs(s.decodeTokensPerS.variant.toFixed(1), s.decodeTokensPerS.parent.toFixed(1)), numCell(`${s.decodeTokensPerS.speedup.toFixed(2)}×`, s.decodeTokensPerS.speedup)],
    [
      'energy per 1,000 decoded tokens',
      `${s.energyJPer1kTokens.variant.toPrecision(3)} J (${s.energyJPer1kTokens.provenance}) vs ${s.energyJPer1kTokens.parent.toPrecision(3)} J (${s.energyJPer1kTokens.parentProvenance})`,
      numCell(savedPercent(1 - s.energyJPer1kTokens.variant / s.energyJPer1kTokens.parent), 1 - s.energyJPer1kTokens.variant / s.energyJPer1kTokens.parent),
    ],
  );
  for (const p of s.weightProjection?.scales ?? []) rows.push([`weight memory at ${p.label} parameters (projected)`, vs(gb(p.bytes), gb(p.parentBytes)), numCell(savedPercent(1 - p.bytes / p.parentBytes), 1 - p.bytes / p.parentBytes)]);
  if (s.kvCache) {
    const kvSaved = 1 - s.kvCache.variant.types[0].bytesPer1kTokens / s.kvCache.parent.types[0].bytesPer1kTokens;
    rows.push(['KV cache per 1,000 context tokens', vs(kvText(s.kvCache.variant), kvText(s.kvCache.parent)), numCell(savedPercent(kvSaved), kvSaved)]);
  }
  if (s.cost) {
    const costSaved = 1 - s.cost.usdPerMillionTokens.variant / s.cost.usdPerMillionTokens.parent;
    rows.push([`USD per 1M generated tokens at $${s.cost.usdPerHour}/h`, vs(`$${s.cost.usdPerMillionTokens.variant.toFixed(4)}`, `$${s.cost.usdPerMillionTokens.parent.toFixed(4)}`), numCell(savedPercent(costSaved), costSaved)]);
  }
  return rows;
}

/** The savings blocks of one variant (a table, or a line saying why there are none). */
export function variantSavingsBlocks(record: RunRecord, variantId: string): Block[] {
  const s = record.savings?.find((x) => x.variantId === variantId);
  if (!record.savings) return [para('No savings in this run record (measurement was off, or the record predates them).', 'warn')];
  if (!s) return [para(`${variantId} has no parent: nothing to save against.`)];
  if (s.state === 'not-applicable') return [para(`Savings of ${variantId}: ${s.reason}.`)];
  const replayed = s.replayed ? ' Some figures were replayed from the measurement cache.' : '';
  return [
    para(`Savings of ${variantId} against ${s.parent} (measured on this run's hardware, one variant per child process).${replayed}`),
    table({ id: `savings-${variantId}`, columns: ['figure', 'variant vs parent', 'saved / speedup'], rows: figureRows(s) }),
  ];
}

/** How the projected, KV and cost figures are computed, in words. */
export function savingsMethodBlock(record: RunRecord): Block {
  const scales = PROJECTION_SCALES.map((s) => `${s.label}: ${s.reference}`).join('; ');
  const cost = (record.savings ?? []).some((s) => s.state === 'computed' && s.cost) ? ` Cost: ${COST_FORMULA}.` : ' Cost: set "cost": { "usdPerHour": N } in the run config for USD per 1M generated tokens.';
  return para(`Projection: ${PROJECTION_FORMULA}. Reference shapes: ${scales}. KV cache per 1,000 tokens = layers × kv heads × head dim × (bytes per K element + bytes per V element) × 1,000, at the cache type the variant ran with (ONNX: fp32; llama.cpp: its ggml types).${cost}`);
}

/** The report section: every variant with a parent, in variant order. */
export function savingsSection({ record }: ReportInput): BuiltSection {
  const ids = (record.savings ?? []).map((s) => s.variantId);
  const blocks: Block[] = ids.length === 0
    ? [para('No savings in this run record: measurement was off, no variant has a parent, or the record predates savings.', 'warn')]
    : [savingsMethodBlock(record), ...ids.flatMap((id) => variantSavingsBlocks(record, id))];
  return { section: { id: 'savings', title: 'Savings and capacity', blocks }, charts: [] };
}
