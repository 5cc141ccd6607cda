/**
 * Not a test (timed, no assertions; uvu does not pick it up): throughput of the runtime on a
 * multiple-choice-like workload (100 contexts from the TinyStories sample, 4 options each)
 * and of greedy generation. Paths run round-robin so background load hits them alike.
 * Run: node dist-NAME/test/runners/runtime-throughput.js [modelDir]   (THREADS=n, ROUNDS=n)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedExternalDir } from '../../core/paths.js';
import type { LoglikelihoodRequest } from '../../core/requests.js';
import { OnnxDecoderAdapter, type OnnxAdapterOptions } from '../../runners/backends/onnxruntime/onnx-adapter.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(ext: string): Promise<void> {
  const modelDir = process.argv[2] ?? join(ext, 'stories260k');
  const threads = Number(process.env.THREADS ?? '1');
  const rounds = Number(process.env.ROUNDS ?? '5');
  const words = readFileSync(join(ext, 'datasets', 'tinystories_sample.txt'), 'utf8').replace(/<\|endoftext\|>/g, ' ').split(/\s+/).filter(Boolean);
  const requests: LoglikelihoodRequest[] = [];
  for (let q = 0; q < 100; q++) {
    const start = (q * 37) % (words.length - 80);
    const context = words.slice(start, start + 10 + (q % 50)).join(' ');
    for (let o = 0; o < 4; o++) {
      const at = (start + 97 * o + 60) % words.length;
      requests.push({ context, continuation: ' ' + words.slice(at, at + 1 + (o % 3)).join(' ') });
    }
  }
  const paths: [string, OnnxAdapterOptions][] = [
    ['naive: one full forward per request', { loglikelihoodPath: 'full-forward', batch: { maxRows: 1, maxTokens: 1 << 20 } }],
    ['batched full forwards', { loglikelihoodPath: 'full-forward' }],
    ['batched + shared prefix (KV cache)', { loglikelihoodPath: 'shared-prefix' }],
  ];
  const adapters = await Promise.all(paths.map(([, o]) => OnnxDecoderAdapter.load(modelDir, { ...o, intraOpNumThreads: threads })));
  const rates: number[][] = paths.map(() => []);
  for (const a of adapters) await a.loglikelihood(requests.slice(0, 8)); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [i, a] of adapters.entries()) {
      const t0 = performance.now();
      await a.loglikelihood(requests);
      rates[i].push(requests.length / ((performance.now() - t0) / 1000));
    }
  }
  console.log(`loglikelihood, ${requests.length} requests over ${requests.length / 4} contexts, threads ${threads}, median of ${rounds} rounds:`);
  paths.forEach(([label], i) => console.log(`  ${label}: ${median(rates[i]).toFixed(0)} requests/s (min ${Math.min(...rates[i]).toFixed(0)}, max ${Math.max(...rates[i]).toFixed(0)})`));
  const gen = adapters[2];
  for (const batch of [1, 8]) {
    const reqs = Array.from({ length: batch }, (_, i) => ({ prompt: words.slice(i * 5, i * 5 + 3).join(' '), options: { maxNewTokens: 200 } }));
    const tps: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const out = await gen.generate(reqs);
      tps.push(out.reduce((s, o) => s + o.generatedIds.length, 0) / ((performance.now() - t0) / 1000));
    }
    console.log(`generate 200 tokens × ${batch} prompt(s): ${median(tps).toFixed(0)} tokens/s`);
  }
  for (const a of adapters) await a.dispose();
}

const ext = sharedExternalDir();
if (ext) await main(ext);
else console.log('SKIP runtime throughput: ../shared/external not found');
