/**
 * What this machine gives two independent single-threaded processes doing the matrix's
 * work: every request of the suites answered by a bare in-process adapter loop, run
 * alone, then twice at once in two processes (nothing shared). 2 × alone / together is
 * the speedup the hardware allows from 1 to 2 cores on this workload (the decode steps
 * of generation are memory-bound, so two cores slow each other), the ceiling for the
 * matrix's 2-worker scaling.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';

/** The ceiling's figures. */
export interface ParallelCeiling {
  readonly aloneS: number;
  /** Wall time of two concurrent copies (the slower one). */
  readonly togetherS: number;
  /** 2 × aloneS / togetherS. */
  readonly speedup: number;
}

function child(dir: string, suiteIds: readonly string[]): Promise<number> {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'ceiling-child.js');
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [file, dir, ...suiteIds], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      if (code !== 0) reject(new InfraError(`ceiling child exited ${code}: ${err.trim().split('\n').pop() ?? ''}`));
      else resolve((JSON.parse(out.trim().split('\n').pop()!) as { seconds: number }).seconds);
    });
  });
}

/** Best of `trials` for the alone and the together runs. */
export async function parallelCeiling(dir: string, suiteIds: readonly string[], trials: number): Promise<ParallelCeiling> {
  let aloneS = Infinity;
  let togetherS = Infinity;
  for (let t = 0; t < trials; t++) {
    aloneS = Math.min(aloneS, await child(dir, suiteIds));
    const pair = await Promise.all([child(dir, suiteIds), child(dir, suiteIds)]);
    togetherS = Math.min(togetherS, Math.max(...pair));
  }
  return { aloneS, togetherS, speedup: (2 * aloneS) / togetherS };
}
