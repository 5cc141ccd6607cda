/**
 * End-to-end compression item: a `compbench synth` random-weight Llama (hidden 2048, 22
 * layers, ~1.3B parameters with the embeddings; --quick: hidden 1024, 8 layers) is written
 * once, then compressed by RTN, GPTQ and AWQ (4-bit, group 128, 16 × 128 calibration
 * tokens) each in its own child process (compress-model-child.ts), which reports the
 * record's phases and its peak resident set (VmHWM).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';

/** The synth model's size. */
export interface E2eShape {
  readonly hidden: number;
  readonly layers: number;
}

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
  /** VmHWM of the compressing child. */
  readonly peakRssBytes: number;
  /** Bytes of the variant's onnx/ files. */
  readonly sizeBytes: number;
}

/** What the item measured. */
export interface CompressE2e {
  readonly shape: E2eShape;
  /** Bytes of the fp32 model's onnx/ files. */
  readonly modelBytes: number;
  readonly results: readonly CompressE2eResult[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the item; `methods` defaults to rtn, gptq, awq. A failed child is an InfraError naming its stderr. */
export function compressE2e(shape: E2eShape, log: (line: string) => void, methods: readonly string[] = ['rtn', 'gptq', 'awq']): CompressE2e {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-e2e-'));
  try {
    const model = join(dir, 'model');
    const synth = spawnSync(process.execPath, [join(here, '..', 'cli.js'), 'synth', '--out', model, '--hidden', String(shape.hidden), '--layers', String(shape.layers)], { encoding: 'utf8' });
    if (synth.status !== 0) throw new InfraError(`compress e2e: compbench synth failed: ${synth.stderr.slice(-300)}`);
    const modelBytes = readdirSync(join(model, 'onnx')).reduce((a, f) => a + statSync(join(model, 'onnx', f)).size, 0);
    log(`  synth hidden ${shape.hidden}, ${shape.layers} layers: ${(modelBytes / 1e9).toFixed(2)} GB`);
    const results = methods.map((method) => {
      const out = join(dir, method);
      const run = spawnSync(process.execPath, [join(here, 'compress-model-child.js'), model, out, method, '4', '128'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (run.status !== 0) throw new InfraError(`compress e2e: ${method} child failed: ${run.stderr.slice(-300)}`);
      const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { compressWorkers?: number; wallS: number; timingsMs: { calibration: number; compression: number }; peakRssBytes: number; sizeBytes: number };
      rmSync(out, { recursive: true, force: true });
      log(`  ${method}: ${r.wallS.toFixed(1)} s, peak RSS ${(r.peakRssBytes / 2 ** 30).toFixed(2)} GiB`);
      return { method, compressWorkers: r.compressWorkers, wallS: r.wallS, calibrationS: r.timingsMs.calibration / 1000, compressionS: r.timingsMs.compression / 1000, peakRssBytes: r.peakRssBytes, sizeBytes: r.sizeBytes };
    });
    return { shape, modelBytes, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The item's Markdown section. */
export function compressE2eSection(e: CompressE2e): string[] {
  const gb = (b: number): string => (b / 1e9).toFixed(2);
  return [
    '## End-to-end compression (synth model)', '',
    `compbench synth hidden ${e.shape.hidden}, ${e.shape.layers} layers (fp32 onnx/ ${gb(e.modelBytes)} GB); 4-bit, group 128, 16 × 128 calibration tokens, one child per method (compressModel only, no self-check), peak RSS = the child's VmHWM.`, '',
    '| method | workers | wall s | calibration s | compression s | peak RSS GB | peak / fp32 model | variant GB |', '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...e.results.map((r) => `| ${r.method} | ${r.compressWorkers ?? 1} | ${r.wallS.toFixed(1)} | ${r.calibrationS.toFixed(1)} | ${r.compressionS.toFixed(1)} | ${gb(r.peakRssBytes)} | ${(r.peakRssBytes / e.modelBytes).toFixed(2)} | ${gb(r.sizeBytes)} |`),
    '',
  ];
}
