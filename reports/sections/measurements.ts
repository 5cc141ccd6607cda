import type { MeasurementRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatBytes, formatMs } from '../format.js';
import { measurementOf, orderedVariants } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/** How an energy figure was obtained, in words (provenance, TDP and formula for estimates). */
export function energyProvenance(m: Extract<MeasurementRecord, { state: 'measured' }>): string {
  const e = m.energy;
  if (e.provenance !== 'estimated') return `${e.provenance} counter`;
  const cpu = e.cpuSeconds === undefined ? '' : `, ${e.cpuSeconds.toFixed(3)} CPU s`;
  return `estimated: ${e.formula ?? 'formula not recorded'} (TDP ${e.tdpWattsPerCore ?? '?'} W/core${cpu})`;
}

/** The reason a simulated variant has no figures, prefixed once with 'n/a (simulated)'. */
export function notApplicableText(reason: string): string {
  return reason.startsWith('n/a (simulated)') ? reason : `n/a (simulated): ${reason}`;
}

/** Speed, memory and energy per variant, with threads, samples and energy provenance. */
export function measurementsSection({ record }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  if (!record.measurements || record.measurements.length === 0) {
    blocks.push(para('Measurement was off for this run: no latency, memory or energy figures.', 'warn'));
    return { section: { id: 'measurements', title: 'Measurements', blocks }, charts: [] };
  }
  const na = (text: string): TableCell => ({ text });
  const rows = orderedVariants(record).map((v) => {
    const m = measurementOf(record, v.id);
    if (!m) return [v.id, v.executionForm, numCell(formatBytes(v.sizeBytes), v.sizeBytes), ...Array(8).fill(na('not measured'))];
    if (m.state === 'not-applicable') return [v.id, v.executionForm, numCell(formatBytes(m.sizeBytes), m.sizeBytes), ...Array(7).fill(na('n/a (simulated)')), notApplicableText(m.reason)];
    if (m.state === 'errored') return [v.id, v.executionForm, numCell(formatBytes(v.sizeBytes), v.sizeBytes), ...Array(7).fill(na('errored')), `errored: ${m.error}`];
    return [
      v.id,
      v.executionForm,
      numCell(formatBytes(m.sizeBytes), m.sizeBytes),
      numCell(formatBytes(m.peakRssBytes), m.peakRssBytes),
      numCell(formatMs(m.loadMs), m.loadMs),
      numCell(String(m.intraOpNumThreads), m.intraOpNumThreads),
      numCell(`p50 ${formatMs(m.prefill.p50Ms)}, p99 ${formatMs(m.prefill.p99Ms)} (${m.prefill.promptTokens} tokens, ${m.prefill.samples} samples)`, m.prefill.p50Ms),
      numCell(`p50 ${formatMs(m.decode.p50Ms)}, p99 ${formatMs(m.decode.p99Ms)} per token (${m.decode.tokens} tokens after ${m.decode.warmupTokens} warm-up, ${m.decode.samples} samples)`, m.decode.p50Ms),
      numCell(`${m.decode.tokensPerS.toFixed(1)} tokens/s`, m.decode.tokensPerS),
      numCell(`${m.energy.joulesPerToken.toPrecision(3)} J/token (${m.energy.joules.toPrecision(3)} J total)`, m.energy.joulesPerToken),
      energyProvenance(m),
    ];
  });
  blocks.push(para('Each variant was measured alone in its own child process (peak RSS = VmHWM). Simulated variants run dequantized fp32 weights, so their speed, memory and energy say n/a (simulated).'));
  blocks.push(table({
    id: 'measurements-table',
    columns: ['variant', 'form', 'size on disk', 'peak RSS', 'load', 'intra-op threads', 'prefill (TTFT)', 'decode', 'throughput', 'energy', 'energy provenance'],
    rows,
  }));
  return { section: { id: 'measurements', title: 'Measurements', blocks }, charts: [] };
}
