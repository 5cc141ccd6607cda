/**
 * Item 5: runs `bench/kernels.js` (rtn, nf4, gptq, awq on one size×size layer) in a child
 * process and parses its lines into figures.
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
}

const LINE = /^(.+?)\s+([\d.]+) s\s+([\d.]+) MB\/s/;

/** Runs the kernel benchmark on a `size`×`size` layer with `tokens` calibration tokens. */
export function kernelSpeed(size: number, tokens: number): { header: string; kernels: KernelResult[] } {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'kernels.js');
  const child = spawnSync(process.execPath, [script, String(size), String(tokens)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new InfraError(`${script} exited ${child.status}: ${child.stderr.trim().split('\n').pop() ?? ''}`);
  const lines = child.stdout.trim().split('\n');
  const kernels = lines.flatMap((line) => {
    const m = LINE.exec(line);
    return m ? [{ name: m[1].trim(), durationS: Number(m[2]), weightMBPerS: Number(m[3]) }] : [];
  });
  return { header: lines[0] ?? '', kernels };
}
