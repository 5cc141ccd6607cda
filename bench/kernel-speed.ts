/**
 * Item 5: runs `bench/kernels.js` (rtn, nf4, then gptq, awq and wanda as reference and fast
 * path, on one size×size layer) in a child process and parses its lines into figures.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';

/** One kernel's figures. */
export interface KernelResult {
  readonly name: string;
  readonly durationS: number;
  readonly weightMBPerS: number;
  /** Nominal work per second (calibrated kernels only) and its ratio to the float32 GEMM peak. */
  readonly gflopPerS?: number;
  readonly fractionOfPeak?: number;
  /** CPU seconds of the process during the run (wall seconds grow with the machine's load). */
  readonly cpuS?: number;
}

const LINE = /^(.+?)\s+([\d.]+) s\s+([\d.]+) MB\/s(?:\s+([\d.]+) GFLOP\/s\s+([\d.]+) of peak)?(?:\s+CPU ([\d.]+) s)?/;

/** Runs the kernel benchmark on a `size`×`size` layer with `tokens` calibration tokens. */
export function kernelSpeed(size: number, tokens: number): { header: string; notes: string[]; kernels: KernelResult[] } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'kernels.js');
  const child = spawnSync(process.execPath, [script, String(size), String(tokens)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new InfraError(`${script} exited ${child.status}: ${child.stderr.trim().split('\n').pop() ?? ''}`);
  const lines = child.stdout.trim().split('\n');
  const kernels = lines.flatMap((line) => {
    const m = LINE.exec(line);
    if (!m) return [];
    const flops = m[4] === undefined ? {} : { gflopPerS: Number(m[4]), fractionOfPeak: Number(m[5]) };
    const cpu = m[6] === undefined ? {} : { cpuS: Number(m[6]) };
    return [{ name: m[1].trim(), durationS: Number(m[2]), weightMBPerS: Number(m[3]), ...flops, ...cpu }];
  });
  // the GEMM peak and the per-kernel speedup lines
  const notes = lines.slice(1).filter((line) => !LINE.test(line));
  return { header: lines[0] ?? '', notes, kernels };
}
