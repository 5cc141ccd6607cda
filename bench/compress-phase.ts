/**
 * The default matrix's calibrated variants (teacher: gptq 4/3-bit and awq 4/3-bit at group
 * 32, wanda 50%; 16 × 128 calibration tokens) compressed with the fast kernels and with the
 * reference kernels, alternately in this process; prints the record's compression phase
 * (kernels, surgery, writing; not the activation capture) per variant and in total.
 *
 *   node dist/bench/compress-phase.js [repeats]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../core/paths.js';
import type { KernelImpl } from '../runners/compress/fast/kernel-set.js';
import type { CompressSpec } from '../runners/compress/spec.js';
import { compressModel } from '../runners/compress/variants.js';

const repeats = Number(process.argv[2] ?? 1);
const teacher = packagePath('datasets', 'models', 'teacher');
const calibration = { nSequences: 16, seqLen: 128, seed: 0 };
const variants: [string, CompressSpec][] = [
  ['gptq 4-bit g32', { method: 'gptq', params: { bits: 4, group: 32 } }],
  ['gptq 3-bit g32', { method: 'gptq', params: { bits: 3, group: 32 } }],
  ['awq 4-bit g32', { method: 'awq', params: { bits: 4, group: 32 } }],
  ['awq 3-bit g32', { method: 'awq', params: { bits: 3, group: 32 } }],
  ['wanda 50%', { method: 'wanda', params: { sparsity: 0.5 } }],
];

/** Compression-phase seconds of one variant with one implementation. */
async function phase(spec: CompressSpec, kernels: KernelImpl): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'compbench-phase-'));
  try {
    const { record } = await compressModel(teacher, spec, join(root, 'v'), { calibration, kernels });
    return record.timingsMs.compression / 1000;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const total = { fast: 0, reference: 0 };
for (const [name, spec] of variants) {
  const times: Record<KernelImpl, number[]> = { fast: [], reference: [] };
  for (let i = 0; i < repeats; i++) {
    for (const impl of ['reference', 'fast'] as const) times[impl].push(await phase(spec, impl));
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const [r, f] = [median(times.reference), median(times.fast)];
  total.reference += r;
  total.fast += f;
  console.log(`${name.padEnd(16)} reference ${r.toFixed(2).padStart(7)} s  fast ${f.toFixed(2).padStart(7)} s  ${(r / f).toFixed(1)}×`);
}
console.log(`${'all five'.padEnd(16)} reference ${total.reference.toFixed(2).padStart(7)} s  fast ${total.fast.toFixed(2).padStart(7)} s  ${(total.reference / total.fast).toFixed(1)}×`);
