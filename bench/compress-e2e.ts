/**
 * End-to-end compression item: a `compbench synth` random-weight Llama is written once
 * (default: TinyLlama-1.1B's shape, hidden 2048, 22 layers, intermediate 5632, 32 heads,
 * 4 KV heads, vocab 32000: 1.10 B parameters, 4.4 GB fp32; --quick: hidden 1024, 8
 * layers), then compressed by RTN, GPTQ and AWQ (4-bit, group 128, 16 × 128 calibration
 * tokens) each in its own child process (compress-model-child.ts), which reports the
 * record's phases and its peak resident set (VmHWM), overall and per phase. The target
 * (issue 14): GPTQ in ≤ 15 min with a peak RSS ≤ 6 GB on the 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';

/** The synth model's size (synth's defaults for the rest: intermediate 8H/3, H/64 heads, vocab 32000). */
export interface E2eShape {
  readonly hidden: number;
  readonly layers: number;
  /** Key/value heads (default: as many as the query heads). */
  readonly kvHeads?: number;
}

/** TinyLlama-1.1B's shape: the issue's ~1B-parameter model. */
export const E2E_1B: E2eShape = { hidden: 2048, layers: 22, kvHeads: 4 };

/** The GPTQ target of issue 14. */
export const E2E_TARGET = { gptqSeconds: 15 * 60, peakRssBytes: 6e9 } as const;

/** One method's end-to-end figures. */
export interface CompressE2eResult {
  readonly method: string;
  /** Worker threads the layers ran on (the default rule: layer-pool.ts). */
  readonly compressWorkers?: number;
  /** Wall seconds of compressModel in the child. */
  readonly wallS: number;
  /** The record's phases, seconds. */
  readonly calibrationS: number;
  readonly compressionS: number;
  /** Open (hash, non-finite check), kernels (the units) and write (surgery and files), seconds, when the record has them. */
  readonly openS?: number;
  readonly kernelsS?: number;
  readonly writeS?: number;
  /** VmHWM of the compressing child. */
  readonly peakRssBytes: number;
  /** VmHWM within each phase (open, calibration, kernels, write), reset as each began. */
  readonly phasePeakRssBytes?: Readonly<Record<string, number>>;
  /** Bytes of the variant's onnx/ files. */
  readonly sizeBytes: number;
  /** CPU seconds of the child's threads (user + system). */
  readonly cpuS?: number;
  /** Load average (1 min) when the child started and ended. */
  readonly load: readonly [number, number];
}

/** What the item measured. */
export interface CompressE2e {
  readonly shape: E2eShape;
  /** Bytes of the fp32 model's onnx/ files. */
  readonly modelBytes: number;
  readonly results: readonly CompressE2eResult[];
}

const here = dirname(fileURLToPath(import.meta.url));

type ChildJson = {
  compressWorkers?: number; wallS: number; cpuS?: number; peakRssBytes: number; sizeBytes: number; phasePeakRssBytes?: Record<string, number>;
  timingsMs: { calibration: number; compression: number; open?: number; kernels?: number; write?: number };
};

/** Runs the item; `methods` defaults to rtn, gptq, awq. A failed child is an InfraError naming its stderr. */
export function compressE2e(shape: E2eShape, log: (line: string) => void, methods: readonly string[] = ['rtn', 'gptq', 'awq']): CompressE2e {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-e2e-'));
  try {
    const model = join(dir, 'model');
    const shapeArgs = ['--hidden', String(shape.hidden), '--layers', String(shape.layers), ...(shape.kvHeads ? ['--kv-heads', String(shape.kvHeads)] : [])];
    const synth = spawnSync(process.execPath, [join(here, '..', 'cli.js'), 'synth', '--out', model, ...shapeArgs], { encoding: 'utf8' });
    if (synth.status !== 0) throw new InfraError(`compress e2e: compbench synth failed: ${synth.stderr.slice(-300)}`);
    const modelBytes = readdirSync(join(model, 'onnx')).reduce((a, f) => a + statSync(join(model, 'onnx', f)).size, 0);
    log(`  synth hidden ${shape.hidden}, ${shape.layers} layers: ${(modelBytes / 1e9).toFixed(2)} GB`);
    const results = methods.map((method) => {
      const out = join(dir, method);
      const loadStart = loadavg()[0];
      const run = spawnSync(process.execPath, [join(here, 'compress-model-child.js'), model, out, method, '4', '128'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (run.status !== 0) throw new InfraError(`compress e2e: ${method} child failed: ${run.stderr.slice(-300)}`);
      const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildJson;
      rmSync(out, { recursive: true, force: true });
      log(`  ${method}: ${r.wallS.toFixed(1)} s, peak RSS ${(r.peakRssBytes / 1e9).toFixed(2)} GB`);
      const s = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);
      return {
        method, compressWorkers: r.compressWorkers, wallS: r.wallS, cpuS: r.cpuS, calibrationS: r.timingsMs.calibration / 1000, compressionS: r.timingsMs.compression / 1000,
        openS: s(r.timingsMs.open), kernelsS: s(r.timingsMs.kernels), writeS: s(r.timingsMs.write),
        peakRssBytes: r.peakRssBytes, phasePeakRssBytes: r.phasePeakRssBytes, sizeBytes: r.sizeBytes, load: [loadStart, loadavg()[0]] as const,
      };
    });
    return { shape, modelBytes, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The item's Markdown section. */
export function compressE2eSection(e: CompressE2e): string[] {
  const gb = (b: number | undefined): string => (b === undefined ? '' : (b / 1e9).toFixed(2));
  const sec = (x: number | undefined): string => (x === undefined ? '' : x.toFixed(1));
  const gptq = e.results.find((r) => r.method === 'gptq');
  const verdict = gptq
    ? [`GPTQ: ${(gptq.wallS / 60).toFixed(1)} min (target ≤ ${E2E_TARGET.gptqSeconds / 60}), peak RSS ${gb(gptq.peakRssBytes)} GB (target ≤ ${gb(E2E_TARGET.peakRssBytes)}): `
      + `${gptq.wallS <= E2E_TARGET.gptqSeconds && gptq.peakRssBytes <= E2E_TARGET.peakRssBytes ? 'met' : 'not met'}.`, '']
    : [];
  const p = (r: CompressE2eResult, k: string): string => gb(r.phasePeakRssBytes?.[k]);
  return [
    '## End-to-end compression (synth model)', '',
    `compbench synth hidden ${e.shape.hidden}, ${e.shape.layers} layers${e.shape.kvHeads ? `, ${e.shape.kvHeads} KV heads` : ''} (fp32 onnx/ ${gb(e.modelBytes)} GB); 4-bit, group 128, 16 × 128 calibration tokens, one child per method (compressModel only, no self-check), peak RSS = the child's VmHWM, per phase reset as each phase began (open = hash and non-finite check; write = surgery and the variant's files). CPU s = user + system seconds of all the child's threads; load = 1-min load average at the child's start/end (2 cores: above 2, other processes competed and wall times are inflated).`, '',
    ...verdict,
    '| method | workers | wall s | CPU s | open s | calibration s | kernels s | write s | peak RSS GB | open / calib. / kernels / write peak GB | peak / fp32 model | variant GB | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|',
    ...e.results.map((r) => `| ${r.method} | ${r.compressWorkers ?? 1} | ${r.wallS.toFixed(1)} | ${sec(r.cpuS)} | ${sec(r.openS)} | ${r.calibrationS.toFixed(1)} | ${sec(r.kernelsS ?? r.compressionS)} | ${sec(r.writeS)} | ${gb(r.peakRssBytes)} | ${['open', 'calibration', 'kernels', 'write'].map((k) => p(r, k)).join(' / ')} | ${(r.peakRssBytes / e.modelBytes).toFixed(2)} | ${gb(r.sizeBytes)} | ${r.load.map((x) => x.toFixed(1)).join(' → ')} |`),
    '',
  ];
}
