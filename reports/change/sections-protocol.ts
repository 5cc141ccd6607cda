import { list, para, table, type Section } from '../document.js';
import { formatBytes } from '../format.js';
import { selfCheckLine } from '../sections/kernels.js';
import { configSeeds } from '../sections/provenance.js';
import type { ChangeContext } from './context.js';
import { declaredOf } from './declared.js';
import { envelopeSourceLine } from './envelope.js';
import { gateLine } from './gate-verdict.js';
import { screeningSentence } from './screening.js';

/** How the combined model sha256 is computed (runners/run/model-hash.ts, MODEL_SHA256_METHOD). */
export const MODEL_HASH_METHOD = "combined sha256: over each file of onnx/ in name order, each as its name, a NUL byte, then its bytes; not the sha256sum of any one file (each file's plain sha256 is listed below)";

/** §1 identity and lineage, with how every hash is computed and each model file's plain sha256. */
export function identitySection({ record, variant, baseline, runJsonSha256, generatedAt }: ChangeContext): Section {
  const files = [variant, ...(baseline ? [baseline] : [])].flatMap((v) => (v.files ?? []).map((f) => [v.id, f.path, f.sha256, { text: String(f.bytes), sort: f.bytes }]));
  const missing = [variant, ...(baseline ? [baseline] : [])].filter((v) => !v.files).map((v) => v.id);
  return {
    id: 'identity',
    title: '1. Identity and lineage (Annex IV 1(a), 1(c))',
    blocks: [
      list([
        `intended purpose: ${declaredOf(record).intendedPurpose}`,
        `variant: ${variant.id} (model ${variant.model}), folder ${variant.dir}`,
        `variant model sha256 ${variant.modelSha256}, size ${formatBytes(variant.sizeBytes)} (${variant.sizeBytes} bytes)`,
        `base: ${baseline ? `${baseline.id}, model sha256 ${baseline.modelSha256}, size ${formatBytes(baseline.sizeBytes)} (${baseline.sizeBytes} bytes)` : `${record.baseline} (not in the record)`}`,
        `model sha256 above: ${MODEL_HASH_METHOD}`,
        ...(variant.distilledFrom ? [`distilled from: ${variant.distilledFrom}`] : []),
        `evidence: run ${record.runId} (created ${record.createdAt}), run.json sha256 ${runJsonSha256} (plain sha256 of run.json's bytes: sha256sum run.json), compbench ${record.harness.version}, git ${record.harness.gitSha ?? 'unknown'}`,
        `record generated: ${generatedAt}`,
      ]),
      ...(files.length > 0
        ? [para('Model files, each with its plain sha256 (check with sha256sum in the model folder):'), table({ id: 'identity-files', columns: ['variant', 'file', 'sha256 (plain, of the file\'s bytes)', 'bytes'], rows: files })]
        : []),
      ...(missing.length > 0 ? [para(`No per-file sha256 recorded for ${missing.join(', ')} (a run record written before files were listed): only the combined hash above.`, 'warn')] : []),
    ],
  };
}

/** The runtime that scored the variant, as the run record gives it. */
function runtimeLine(variant: ChangeContext['variant']): string {
  const b = variant.backend;
  if (!b) return 'not recorded';
  if (b.backend === 'onnxruntime') return `onnxruntime ${b.version}`;
  return `llama.cpp ${b.llamaCppRelease} via node-llama-cpp ${b.nodeLlamaCpp} (${b.buildType}, CPU library ${b.cpuVariant}, ${b.threads} thread(s)), KV cache ${b.kvCache.key}/${b.kvCache.value}${b.flashAttention ? ', flash attention' : ''}`;
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
        `runtime: ${runtimeLine(variant)}`,
        `kernel self-check on the evaluating machine: ${selfCheckLine(variant)}`,
        `parameters: ${JSON.stringify(variant.params)}`,
        `bits: ${p.bits ?? 'n/a'}; group size: ${p.groupSize ?? p.group ?? 'n/a'}; sparsity: ${p.sparsity ?? 'n/a'}`,
        calibrationLine(variant, calibration),
        `seeds: ${configSeeds(record.config).join(', ') || 'none recorded'}`,
        `tools: compbench ${record.harness.version} (git ${record.harness.gitSha ?? 'unknown'}), onnxruntime ${record.hardware.onnxruntime} (${record.hardware.executionProvider}), Node ${record.hardware.node}`,
      ]),
    ],
  };
}

/** §3 substantial-modification screening (Art. 3(23), 43(4); Annex IV 2(f)). */
export function screeningSection({ screening, gate }: ChangeContext): Section {
  const blocks = [para(screeningSentence(screening), screening.state === 'within' ? 'ok' : screening.state === 'outside' ? 'bad' : 'warn')];
  if (screening.state !== 'no-envelope') {
    const { envelope, source } = screening.declaration;
    blocks.push(para(`Envelope ${envelopeSourceLine(source)}: ${JSON.stringify(envelope)}`, source.kind === 'inline' ? 'warn' : undefined));
  }
  blocks.push(para(`Checks (✗ puts the variant outside; ${gateLine(gate)}):`));
  blocks.push(list(screening.findings.map((f) => `${f.ok ? '✓' : '✗'} ${f.text}`)));
  return { id: 'screening', title: '3. Substantial-modification screening (Art. 3(23), 43(4); Annex IV 2(f))', blocks };
}

/** §4 test protocol (Annex IV 2(g), 4). */
export function protocolSection({ record, variant, gate }: ChangeContext): Section {
  const rules = gate.verdict.rules.filter((r) => r.variantId === variant.id);
  return {
    id: 'protocol',
    title: '4. Test protocol (Annex IV 2(g), 4)',
    blocks: [
      table({
        id: 'protocol-suites',
        columns: ['suite', 'version', 'kind', 'n', 'metrics', 'sha256 (of suite.json\'s text, then the dataset\'s, then any few-shot split\'s: cat suite.json data.jsonl | sha256sum)'],
        rows: record.suites.map((s) => [s.id, s.version, s.kind, { text: String(s.n), sort: s.n }, s.metrics.join(', '), s.hash]),
      }),
      list([
        'intervals are 95% sampling intervals (they describe the sampling of test items, not run-to-run variation): Wilson for proportions; seeded percentile bootstrap for other means and ratio-of-sums metrics',
        'instances that share a group id (the counterfactual variants of one item) count as one unit: the bootstrap resamples whole groups, a proportion\'s Wilson interval uses the effective n (n divided by the design effect), and every figure states its groups and effective n',
        'vs baseline: Δ on the same instances with a paired bootstrap 95% interval; flips with McNemar\'s exact test per instance and, where instances come in groups, an exact sign-flip test over groups',
        `seeds: ${configSeeds(record.config).join(', ') || 'none recorded'}`,
        `${gateLine(gate)}; ${rules.length} rules on this variant`,
      ]),
      ...(rules.length > 0
        ? [table({ id: 'protocol-thresholds', columns: ['rule', 'kind', 'suite / metric / slice', 'bound'], rows: rules.map((r) => [r.rule, r.kind, [r.suiteId, r.metric, r.slice].filter(Boolean).join(' / ') || '—', { text: String(r.bound), sort: r.bound }]) })]
        : []),
    ],
  };
}

function calibrationLine(variant: ChangeContext['variant'], fromParams: readonly [string, unknown][]): string {
  const c = variant.calibration;
  if (c) {
    const warn = c.warning ? `; WARNING: ${c.warning}` : '';
    return `calibration data (${c.kind ?? 'text'}): ${c.source}, text sha256 ${c.textSha256} (plain sha256 of the text's bytes); ${c.nSequences} sequences × ${c.seqLen} tokens (${c.tokens} tokens), seed ${c.seed ?? 'not recorded'}; sequences sha256 ${c.sha256} (over the token ids as little-endian int32: count, then each sequence's length and ids)${warn}`;
  }
  if (fromParams.length > 0) return `calibration data: ${fromParams.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}`;
  return 'calibration data: none recorded (the method uses no calibration, or the run did not record it)';
}
