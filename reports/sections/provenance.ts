import type { CalibrationRecord } from '../../core/run-record.js';
import { list, para, table, type Block } from '../document.js';
import { formatBytes } from '../format.js';
import type { BuiltSection, ReportInput } from './built.js';

/** Seeds the config names (any key ending in `seed`, searched one level deep). */
export function configSeeds(config: Readonly<Record<string, unknown>>): string[] {
  const seeds: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (/seed$/iu.test(key) && (typeof value === 'number' || typeof value === 'string')) seeds.push(`${key}=${value}`);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) if (/seed$/iu.test(k) && (typeof v === 'number' || typeof v === 'string')) seeds.push(`${key}.${k}=${v}`);
    }
  }
  return seeds;
}

/** A variant's calibration text in one line: source, hashes, size and, when off-domain, the warning. */
export function calibrationLine(c: CalibrationRecord): string {
  return `${c.kind} ${c.source}, text sha256 ${c.textSha256}, ${c.nSequences} sequences × ≤${c.seqLen} tokens (${c.tokens} tokens, sha256 ${c.sha256})${c.warning ? `. WARNING: ${c.warning}` : ''}`;
}

/** Hardware fingerprint, versions, hashes and seeds: what it takes to reproduce the run. */
export function provenanceSection({ record }: ReportInput): BuiltSection {
  const h = record.hardware;
  const calibrated = record.variants.filter((v) => v.calibration);
  const warned = calibrated.filter((v) => v.calibration?.warning);
  const blocks: Block[] = [
    ...warned.map((v) => para(`${v.id}: ${v.calibration!.warning} (${v.calibration!.source}); give this model's entry "calibration": {"textFile": …} or {"suite": …} with text of its own domain.`, 'warn')),
    list([
      `run id: ${record.runId}, created ${record.createdAt}, complete: ${record.complete ? 'yes' : 'no (some cells errored)'}`,
      `compbench ${record.harness.version}, git ${record.harness.gitSha ?? 'unknown'}, run record schema v${record.schemaVersion}`,
      `CPU: ${h.cpuModel}, ${h.logicalCores} logical cores, flags ${h.cpuFlags.join(' ') || 'none recorded'}`,
      `memory ${formatBytes(h.memoryBytes)}, OS ${h.os}, Node ${h.node}, onnxruntime ${h.onnxruntime} (${h.executionProvider})`,
      `seeds: ${configSeeds(record.config).join(', ') || 'none recorded'}`,
      ...(record.gate ? [`gate policy: ${record.gate.policySource}, sha256 ${record.gate.policySha256}`] : []),
    ]),
    table({
      id: 'variant-hashes',
      columns: ['variant', 'model', 'method', 'params', 'form', 'size', 'model sha256', 'folder'],
      rows: record.variants.map((v) => [v.id, v.model, v.method, JSON.stringify(v.params), v.executionForm, { text: formatBytes(v.sizeBytes), sort: v.sizeBytes }, v.modelSha256, v.dir]),
    }),
    ...(calibrated.length === 0 ? [] : [table({
      id: 'calibration',
      columns: ['variant', 'source', 'text sha256', 'sequences', 'tokens', 'sequences sha256', 'warning'],
      rows: calibrated.map((v) => {
        const c = v.calibration!;
        return [v.id, `${c.kind}: ${c.source}`, c.textSha256, `${c.nSequences} × ≤${c.seqLen}`, { text: String(c.tokens), sort: c.tokens }, c.sha256, c.warning ? { text: c.warning, tone: '#f4d58d' } : ''];
      }),
    })]),
    table({
      id: 'suite-hashes',
      columns: ['suite', 'version', 'kind', 'n', 'metrics', 'chance level', 'sha256'],
      rows: record.suites.map((s) => [s.id, s.version, s.kind, { text: String(s.n), sort: s.n }, s.metrics.join(', '), s.chance ? `${s.chance.metric} ${s.chance.value} (${s.chance.how})` : 'not stated', s.hash]),
    }),
    para('Resolved configuration:'),
    { kind: 'code', text: JSON.stringify(record.config, null, 2) },
  ];
  return { section: { id: 'provenance', title: 'Hardware, versions, hashes and seeds', blocks }, charts: [] };
}
