import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compressE2eSection, E2E_1B, type CompressE2e, type CompressE2eResult } from '../../bench/compress-e2e.js';

const row = (method: string, wallS: number, peakGB: number): CompressE2eResult => ({
  method, compressWorkers: 2, wallS, cpuS: 2 * wallS, calibrationS: 100, compressionS: wallS - 150, openS: 20, kernelsS: wallS - 160, writeS: 10,
  peakRssBytes: peakGB * 1e9, phasePeakRssBytes: { open: 0.2e9, calibration: 0.5e9, kernels: peakGB * 1e9, write: 1e9 }, sizeBytes: 1.04e9, load: [1.5, 2],
});
const e2e = (gptq: CompressE2eResult): CompressE2e => ({ shape: E2E_1B, modelBytes: 4.4e9, results: [row('rtn', 120, 1.5), gptq] });

test('e2e section: one row per method with per-phase times and peaks, and the GPTQ verdict against 15 min / 6 GB', () => {
  const met = compressE2eSection(e2e(row('gptq', 800, 3.2))).join('\n');
  assert.match(met, /hidden 2048, 22 layers, 4 KV heads/u);
  assert.match(met, /GPTQ: 13\.3 min \(target ≤ 15\), peak RSS 3\.20 GB \(target ≤ 6\.00\): met\./u);
  assert.match(met, /\| gptq \| 2 \| 800\.0 \| 1600\.0 \| 20\.0 \| 100\.0 \| 640\.0 \| 10\.0 \| 3\.20 \| 0\.20 \/ 0\.50 \/ 3\.20 \/ 1\.00 \| 0\.73 \| 1\.04 \| 1\.5 → 2\.0 \|/u);
  assert.match(compressE2eSection(e2e(row('gptq', 901, 3.2))).join('\n'), /: not met\./u);
  assert.match(compressE2eSection(e2e(row('gptq', 800, 6.1))).join('\n'), /: not met\./u);
});

test.run();
