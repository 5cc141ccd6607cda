import { list, para, table, type Section } from '../document.js';
import { formatBytes } from '../format.js';
import { selfCheckLine } from '../sections/kernels.js';
import { calibrationLine, configSeeds } from '../sections/provenance.js';
import type { ChangeContext } from './context.js';
import { screeningSentence } from './screening.js';

/** §1 identity and lineage. */
export function identitySection({ record, variant, baseline, runJsonSha256, generatedAt }: ChangeContext): Section {
  return {
    id: 'identity',
    title: '1. Identity and lineage',
    blocks: [list([
      `variant: ${variant.id} (model ${variant.model}), folder ${variant.dir}`,
      `variant model sha256: ${variant.modelSha256}, size ${formatBytes(variant.sizeBytes)} (${variant.sizeBytes} bytes)`,
      `base: ${baseline ? `${baseline.id}, sha256 ${baseline.modelSha256}, size ${formatBytes(baseline.sizeBytes)} (${baseline.sizeBytes} bytes)` : `${record.baseline} (not in the record)`}`,
      ...(variant.distilledFrom ? [`distilled from: ${variant.distilledFrom}`] : []),
      `evidence: run ${record.runId} (created ${record.createdAt}), run.json sha256 ${runJsonSha256}, compbench ${record.harness.version}, git ${record.harness.gitSha ?? 'unknown'}`,
      `record generated: ${generatedAt}`,
    ])],
  };
}

/** §2 description of the modification. */
export function modificationSection({ record, variant }: ChangeContext): Section {
  const p = variant.params as Record<string, unknown>;
  const calibration = Object.entries(p).filter(([k]) => /calib/iu.test(k));
  return {
    id: 'modification',
    title: '2. Description of the modification',
    blocks: [
      list([
        `method: ${variant.method}; execution form: ${variant.executionForm}`,
        ...(variant.kernels ? [`packed kernels: ${variant.kernels.ops.join(', ')}${variant.kernels.accuracyLevel !== undefined ? `, accuracy_level ${variant.kernels.accuracyLevel}` : ''}${variant.kernels.int8Operands ? `; W8A8 operands ${variant.kernels.int8Operands} (${variant.kernels.int8Reason ?? ''})` : ''}`] : []),
        `kernel self-check on the evaluating machine: ${selfCheckLine(variant)}`,
        `parameters: ${JSON.stringify(variant.params)}`,
        `bits: ${p.bits ?? 'n/a'}; group size: ${p.groupSize ?? p.group ?? 'n/a'}; sparsity: ${p.sparsity ?? 'n/a'}`,
        `calibration data: ${variant.calibration ? calibrationLine(variant.calibration) : calibration.length > 0 ? calibration.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') : 'none recorded (the method uses no calibration, or the run did not record it)'}`,
        `seeds: ${configSeeds(record.config).join(', ') || 'none recorded'}`,
        `tools: compbench ${record.harness.version} (git ${record.harness.gitSha ?? 'unknown'}), onnxruntime ${record.hardware.onnxruntime} (${record.hardware.executionProvider}), Node ${record.hardware.node}`,
      ]),
    ],
  };
}

/** §3 substantial-modification screening (Art. 3(23), 43(4); Annex IV 2(f)). */
export function screeningSection({ screening }: ChangeContext): Section {
  const blocks = [para(screeningSentence(screening), screening.state === 'within' ? 'ok' : screening.state === 'outside' ? 'bad' : 'warn')];
  if (screening.state !== 'no-envelope') {
    blocks.push(para(`Declared envelope: ${JSON.stringify(screening.envelope)}`));
    blocks.push(list(screening.findings));
  }
  return { id: 'screening', title: '3. Substantial-modification screening (Art. 3(23), 43(4); Annex IV 2(f))', blocks };
}

/** §4 test protocol (Annex IV 2(g), 4). */
export function protocolSection({ record, variant }: ChangeContext): Section {
  const rules = record.gate?.rules.filter((r) => r.variantId === variant.id) ?? [];
  return {
    id: 'protocol',
    title: '4. Test protocol (Annex IV 2(g), 4)',
    blocks: [
      table({
        id: 'protocol-suites',
        columns: ['suite', 'version', 'kind', 'n', 'metrics', 'sha256'],
        rows: record.suites.map((s) => [s.id, s.version, s.kind, { text: String(s.n), sort: s.n }, s.metrics.join(', '), s.hash]),
      }),
      list([
        'intervals: Wilson 95% for proportions; seeded percentile bootstrap 95% for other means and ratio-of-sums metrics',
        'vs baseline: Δ on the same instances with a paired bootstrap 95% CI; flips with McNemar\'s exact test',
        `seeds: ${configSeeds(record.config).join(', ') || 'none recorded'}`,
        record.gate ? `gate policy: ${record.gate.policySource} (sha256 ${record.gate.policySha256}), ${rules.length} rules on this variant` : 'gate: no policy applied in this run',
      ]),
      ...(rules.length > 0
        ? [table({ id: 'protocol-thresholds', columns: ['rule', 'kind', 'suite / metric / slice', 'bound'], rows: rules.map((r) => [r.rule, r.kind, [r.suiteId, r.metric, r.slice].filter(Boolean).join(' / ') || '—', { text: String(r.bound), sort: r.bound }]) })]
        : []),
    ],
  };
}
