/**
 * Compression workers item: one `compbench synth` model (hidden 1024, 4 layers; the e2e
 * item's model would take too long to repeat) compressed by GPTQ 4-bit, group 128, with
 * 1 worker (inline) and with 2 worker threads, alternately, `repeats` times each, every
 * run in its own child (compress-model-child.ts). Reports the medians and whether the
 * variants' bytes were identical.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';

/** One worker count's runs. */
export interface WorkersRun {
  readonly workers: number;
  /** Compression phase seconds of each run, in run order. */
  readonly compressionS: readonly number[];
  readonly wallS: readonly number[];
  readonly peakRssBytes: readonly number[];
}

/** What the item measured. */
export interface CompressWorkers {
  readonly shape: { readonly hidden: number; readonly layers: number };
  readonly method: string;
  readonly runs: readonly WorkersRun[];
  /** True when every run wrote the same onnx/ bytes. */
  readonly identical: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs the item. A failed child is an InfraError naming its stderr. */
export function compressWorkersBench(log: (line: string) => void, repeats = 3, shape = { hidden: 1024, layers: 4 }): CompressWorkers {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-workers-'));
  try {
    const model = join(dir, 'model');
    const synth = spawnSync(process.execPath, [join(here, '..', 'cli.js'), 'synth', '--out', model, '--hidden', String(shape.hidden), '--layers', String(shape.layers)], { encoding: 'utf8' });
    if (synth.status !== 0) throw new InfraError(`compress workers: compbench synth failed: ${synth.stderr.slice(-300)}`);
    const runs = [1, 2].map((workers) => ({ workers, compressionS: [] as number[], wallS: [] as number[], peakRssBytes: [] as number[] }));
    let reference: Buffer | undefined;
    let identical = true;
    for (let r = 0; r < repeats; r++) {
      for (const run of runs) {
        const out = join(dir, `v-${run.workers}-${r}`);
        const child = spawnSync(process.execPath, [join(here, 'compress-model-child.js'), model, out, 'gptq', '4', '128', String(run.workers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
        if (child.status !== 0) throw new InfraError(`compress workers: child with ${run.workers} workers failed: ${child.stderr.slice(-300)}`);
        const j = JSON.parse(child.stdout.trim().split('\n').pop()!) as { wallS: number; timingsMs: { compression: number }; peakRssBytes: number };
        const bytes = Buffer.concat([readFileSync(join(out, 'onnx', 'model.onnx')), readFileSync(join(out, 'onnx', 'model.onnx.data'))]);
        reference ??= bytes;
        identical &&= bytes.equals(reference);
        rmSync(out, { recursive: true, force: true });
        run.compressionS.push(j.timingsMs.compression / 1000);
        run.wallS.push(j.wallS);
        run.peakRssBytes.push(j.peakRssBytes);
        log(`  gptq, ${run.workers} worker(s), run ${r + 1}: compression ${(j.timingsMs.compression / 1000).toFixed(1)} s, wall ${j.wallS.toFixed(1)} s`);
      }
    }
    return { shape, method: 'gptq', runs, identical };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The item's Markdown section. */
export function compressWorkersSection(c: CompressWorkers): string[] {
  const base = median(c.runs[0].compressionS);
  return [
    '## Compression workers (synth model)', '',
    `compbench synth hidden ${c.shape.hidden}, ${c.shape.layers} layers; ${c.method} 4-bit, group 128; --compress-workers 1 (inline) and 2 (worker threads, one GEMM thread each), alternately, ${c.runs[0].compressionS.length} runs each, medians. Variant bytes identical across all runs: ${c.identical ? 'yes' : 'NO'}.`, '',
    '| workers | compression s (median) | runs | wall s (median) | peak RSS GB (median) | speedup |', '|---:|---:|---|---:|---:|---:|',
    ...c.runs.map((r) => `| ${r.workers} | ${median(r.compressionS).toFixed(1)} | ${r.compressionS.map((s) => s.toFixed(1)).join(', ')} | ${median(r.wallS).toFixed(1)} | ${(median(r.peakRssBytes) / 1e9).toFixed(2)} | ${(base / median(r.compressionS)).toFixed(2)}× |`),
    '',
  ];
}
