/**
 * Item 4: batch-1 decode on a random-weight MatMul stack (not a full model; runners/synth)
 * in fp32, MatMulNBits 8/4/2 at accuracy_level 0 and 4, and W8A8: per-call latency,
 * calls/s, peak RSS of a child process, and achieved weight bytes/s against the machine's
 * copy bandwidth (the batch-1 roofline: every weight byte is read once per token).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../core/errors.js';
import { buildMatMulStack, type MatMulStackShape } from '../runners/synth/matmul-stack.js';
import { convertStack, formatLabel, weightBytes, withAccuracyLevel, writeStackFolder, type StackFormat } from '../runners/synth/stack-variants.js';

/** One format's figures. */
export interface DecodeResult {
  readonly format: string;
  readonly weightBytes: number;
  readonly calls: number;
  readonly medianMs: number;
  readonly bestMs: number;
  readonly callsPerS: number;
  readonly peakRssBytes: number | null;
  readonly weightGBPerS: number;
  /** weightGBPerS / copy bandwidth (GB/s). */
  readonly fractionOfCopyBandwidth: number;
}

/** The formats measured. */
export const DECODE_FORMATS: readonly StackFormat[] = [
  { kind: 'fp32' },
  ...[8, 4, 2].flatMap((bits) => [0, 4].map((accuracyLevel) => ({ kind: 'nbits' as const, bits, accuracyLevel }))),
  { kind: 'w8a8' },
];

/** Builds the stack once, then times every format in its own child process. */
export function decodeBenchmark(shape: MatMulStackShape, calls: number, copyGBPerS: number, log: (line: string) => void): DecodeResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-synth-'));
  const child = join(dirname(fileURLToPath(import.meta.url)), 'decode-child.js');
  try {
    const base = buildMatMulStack(shape);
    const results: DecodeResult[] = [];
    // MatMulNBits at another accuracy level reuses the packed weights of the same bit width
    const packed = new Map<number, ReturnType<typeof convertStack>>();
    for (const format of DECODE_FORMATS) {
      const label = formatLabel(format);
      let model: ReturnType<typeof convertStack>;
      if (format.kind === 'nbits') {
        const same = packed.get(format.bits);
        model = same ? withAccuracyLevel(same, format.accuracyLevel) : convertStack(base, format);
        if (!same) packed.clear();
        packed.set(format.bits, model);
      } else {
        model = convertStack(base, format);
      }
      const bytes = weightBytes(model);
      const file = writeStackFolder(model, join(dir, label), { ...shape, format: label });
      const run = spawnSync(process.execPath, [child, file, String(shape.hidden), String(calls)], { encoding: 'utf8' });
      rmSync(join(dir, label), { recursive: true, force: true });
      if (run.status !== 0) throw new InfraError(`decode child for ${label} exited ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as { calls: number; medianMs: number; bestMs: number; peakRssBytes: number | null };
      const callsPerS = 1000 / m.medianMs;
      const weightGBPerS = (bytes * callsPerS) / 1e9;
      results.push({ format: label, weightBytes: bytes, ...m, callsPerS, weightGBPerS, fractionOfCopyBandwidth: weightGBPerS / copyGBPerS });
      log(`  ${label}: ${(bytes / 1e6).toFixed(0)} MB, ${m.medianMs.toFixed(2)} ms/call, ${weightGBPerS.toFixed(2)} GB/s of weights`);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
