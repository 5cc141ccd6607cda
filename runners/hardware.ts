import { readFileSync } from 'node:fs';
import { cpus, totalmem, release, platform } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { HardwareFingerprint } from '../core/run-record.js';

/** CPU flags that decide which inference kernels run fast. */
const INTERESTING_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'amx_tile', 'amx_int8', 'neon', 'asimddp'];

/** The machine, as recorded in every run (DESIGN.md §8). */
export function hardwareFingerprint(executionProvider = 'cpu'): HardwareFingerprint {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuFlags: cpuFlags(),
    logicalCores: cpuList.length,
    memoryBytes: totalmem(),
    os: `${platform()} ${release()}${osName()}`,
    node: process.version,
    onnxruntime: ort.env.versions?.node ?? 'unknown',
    executionProvider,
  };
}

function cpuFlags(): string[] {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(info)?.[1] ?? '';
    const have = new Set(line.split(/\s+/));
    return INTERESTING_FLAGS.filter((f) => have.has(f));
  } catch {
    return [];
  }
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    return pretty ? ` (${pretty})` : '';
  } catch {
    return '';
  }
}
