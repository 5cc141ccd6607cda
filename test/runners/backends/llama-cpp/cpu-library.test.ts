/**
 * "Correct on every CPU" for llama.cpp: the same quantized GGUF (the teacher at Q4_K_M,
 * made by llama.cpp's quantizer) scored natively and under QEMU as an AVX2-only CPU
 * (Haswell: no AVX-512, no VNNI), where llama.cpp loads another ggml CPU library with other
 * SIMD dot products. They are not bit-identical: measured (QEMU 7.2, node-llama-cpp 3.22.1)
 * zen4 vs haswell differ by 5.9e-2 nats on one of five requests and ≤ 2e-6 on the others,
 * with the same greedy tokens. So llama.cpp results are cached per CPU library (run-matrix)
 * and the record names it (variants[].backend.cpuVariant). The bound, 0.25 nats per request, leaves room
 * for another native library (CI may load skylakex or sapphirerapids) and still catches a broken kernel. Skips with one line where QEMU user mode is absent (scripts/setup.sh installs it
 * on x86-64) or the CPU is not x86-64.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { quantizeGguf } from '../../../../runners/compress/gguf/quantize-gguf.js';
import { exportGguf } from '../../../../runners/import/onnx-to-gguf.js';
import { teacherDir, tempDir } from '../../fixtures.js';

const test = suite('runners/backends/llama-cpp on another CPU library (QEMU, AVX2-only)');
const CHILD = fileURLToPath(new URL('./cpu-library-child.js', import.meta.url));

interface ChildOut {
  readonly cpuVariant: string;
  readonly logprobs: number[];
  readonly nll: number[];
  readonly generated: number[];
}

function run(prefix: string[], gguf: string): ChildOut {
  const r = spawnSync(prefix[0], [...prefix.slice(1), CHILD, gguf], { encoding: 'utf8', timeout: 600_000 });
  assert.is(r.status, 0, `${prefix.join(' ')}: ${r.stderr?.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildOut;
}

test('Q4_K_M teacher: native and Haswell (AVX2) CPU libraries agree within 0.25 nats per request, same greedy tokens', async () => {
  const teacher = teacherDir('llama.cpp CPU library');
  if (!teacher) return;
  const qemu = spawnSync('sh', ['-c', 'command -v qemu-x86_64'], { encoding: 'utf8' }).stdout.trim();
  if (process.arch !== 'x64' || qemu === '') {
    console.log('SKIP llama.cpp CPU library comparison: needs x86-64 and qemu-x86_64 (scripts/setup.sh installs qemu-user)');
    return;
  }
  const dir = tempDir('cpu-library');
  await exportGguf(teacher, join(dir, 'f32.gguf'), { dtype: 'F32' });
  await quantizeGguf(join(dir, 'f32.gguf'), 'Q4_K_M', join(dir, 'q4km.gguf'));
  const native = run([process.execPath], join(dir, 'q4km.gguf'));
  const avx2 = run([qemu, '-cpu', 'Haswell', process.execPath], join(dir, 'q4km.gguf'));
  assert.is(avx2.cpuVariant, 'haswell', 'QEMU Haswell loads the AVX2 library');
  const diffs = [...native.logprobs.map((x, i) => Math.abs(x - avx2.logprobs[i])), ...native.nll.map((x, i) => Math.abs(x - avx2.nll[i]))];
  console.log(`  ${native.cpuVariant} vs ${avx2.cpuVariant}: per-request |Δ| max ${Math.max(...diffs).toExponential(2)} nats over ${diffs.length} requests`);
  assert.ok(diffs.every((d) => Number.isFinite(d) && d <= 0.25), JSON.stringify({ native, avx2 }));
  assert.equal(avx2.generated, native.generated, 'same greedy tokens');
});

test.run();
