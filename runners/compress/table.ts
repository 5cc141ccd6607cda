/**
 * Script: compress a model with every method × bit-width of the standard matrix, evaluate
 * each variant and the fp32 base on suites, print a Markdown table.
 *
 *   node dist/runners/compress/table.js [--model DIR] [--suites DIR…] [--out DIR] [--calib FILE]
 *
 * Defaults: the bundled teacher (else the student), suites/perplexity and
 * suites/knowledge-closed, variants under a temp dir. Group size: 32 when it divides every
 * compressed K (MatMulNBits block 32), else per-channel; NF4 blocks of 64 (else the
 * largest power of 2 dividing every K).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import type { ParamValue } from '../../kernels/index.js';
import { loadSuite, type LoadedSuite } from '../../suites/index.js';
import { evaluateSuite } from '../evaluate-suite.js';
import { OnnxDecoderAdapter } from '../backends/onnxruntime/onnx-adapter.js';
import { openSurgeryModel } from './model-graph.js';
import type { CompressSpec } from './spec.js';
import { compressModel } from './variants.js';

/** One row of the matrix. */
interface Row {
  readonly name: string;
  readonly spec?: CompressSpec;
}

/** The standard matrix: group 32 and NF4 block 64 on every model (a K they do not divide gets a partial last group). */
export function standardMatrix(): Row[] {
  const group: ParamValue = 32;
  const nf4Block = 64;
  const q = (method: 'rtn' | 'gptq' | 'awq', bits: number): Row => ({ name: `${method} w${bits} g${group}`, spec: { method, params: { bits, group } } });
  return [
    { name: 'fp32' },
    q('rtn', 8), q('rtn', 4), q('rtn', 3), q('rtn', 2), q('gptq', 4), q('gptq', 3), q('awq', 4), q('awq', 3),
    { name: `nf4 b${nf4Block}`, spec: { method: 'nf4', params: { blockSize: nf4Block } } },
    { name: 'smoothquant W8A8 α0.5', spec: { method: 'smoothquant', params: { alpha: 0.5 } } },
    { name: 'magnitude 50%', spec: { method: 'magnitude', params: { sparsity: 0.5 } } },
    { name: 'wanda 50%', spec: { method: 'wanda', params: { sparsity: 0.5 } } },
    { name: 'nm 2:4', spec: { method: 'nm', params: { n: 2, m: 4 } } },
    { name: 'llm-int8 t6', spec: { method: 'llm-int8', params: { threshold: 6 } } },
    { name: 'structured ffn 25%', spec: { method: 'structured', params: { ratio: 0.25 } } },
    { name: 'flap ffn 25%', spec: { method: 'flap', params: { ratio: 0.25 } } },
    { name: 'fairprune 50% (sco)', spec: { method: 'fairprune', params: { sparsity: 0.5 } } },
  ];
}

function fmt(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(digits);
}

async function evaluate(dir: string, suites: readonly LoadedSuite[]): Promise<string[]> {
  const adapter = await OnnxDecoderAdapter.load(dir, { intraOpNumThreads: 2 });
  try {
    const cells: string[] = [];
    for (const suite of suites) {
      const { aggregate } = await evaluateSuite(adapter, suite);
      const metric = suite.spec.metrics[0] as string;
      const s = (aggregate.metrics as Record<string, { overall: { value: number | null; low: number | null; high: number | null; n: number } }>)[metric]?.overall;
      const digits = metric === 'perplexity' ? 2 : 3;
      cells.push(s ? `${fmt(s.value, digits)} [${fmt(s.low, digits)}, ${fmt(s.high, digits)}] n=${s.n}` : 'n/a');
    }
    return cells;
  } finally {
    await adapter.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, suites: { type: 'string', multiple: true }, out: { type: 'string' }, calib: { type: 'string' }, only: { type: 'string' } },
  });
  const model = values.model ?? [packagePath('datasets', 'models', 'teacher'), packagePath('datasets', 'models', 'student')].find((d) => existsSync(join(d, 'onnx', 'model.onnx')));
  if (!model) throw new Error('no --model given and neither datasets/models/teacher nor student exists');
  const suiteDirs = values.suites ?? [packagePath('suites', 'perplexity'), packagePath('suites', 'knowledge-closed')];
  const suites = suiteDirs.map((d) => loadSuite(d));
  const root = values.out ?? mkdtempSync(join(tmpdir(), 'compbench-table-'));
  const rows = standardMatrix().filter((r) => !values.only || new RegExp(values.only, 'u').test(r.name));
  const metricNames = suites.map((s) => `${s.spec.id} ${s.spec.metrics[0]} [95% CI]`);
  console.log(`model: ${model}; variants in ${root}`);
  console.log(`| variant | form | size | ${metricNames.join(' | ')} | compress s |`);
  console.log(`|---|---|---|${metricNames.map(() => '---|').join('')}---|`);
  for (const row of rows) {
    try {
      let dir = model;
      let form = 'fp32';
      let size = '';
      let seconds = '-';
      if (row.spec) {
        const { outDir, record } = await compressModel(model, row.spec, join(root, row.name.replace(/[^a-z0-9]+/giu, '-')), values.calib ? { calibration: { textFile: values.calib } } : {});
        dir = outDir;
        form = record.execution.form;
        size = `${record.sizeBytes} B (${(record.sizeBytes / 1e6).toFixed(2)} MB)`;
        seconds = (record.timingsMs.total / 1000).toFixed(1);
      } else {
        const m = openSurgeryModel(model);
        size = `${(await import('node:fs')).statSync(m.onnxPath).size} B (${((await import('node:fs')).statSync(m.onnxPath).size / 1e6).toFixed(2)} MB)`;
      }
      const cells = await evaluate(dir, suites);
      console.log(`| ${row.name} | ${form} | ${size} | ${cells.join(' | ')} | ${seconds} |`);
    } catch (e) {
      console.log(`| ${row.name} | error | ${messageOf(e).slice(0, 120)} |`);
    }
  }
}

await main();
