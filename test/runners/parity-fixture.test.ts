import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { DecoderSession } from '../../runners/backends/onnxruntime/decoder-session.js';
import { argmaxAt } from '../../runners/backends/onnxruntime/log-probs.js';
import { loadModelFolder } from '../../runners/model/model-folder.js';

/**
 * Our runtime against PyTorch: bundled model folders may carry `parity-fixture.json`
 * (torch fp32 logits slices and argmaxes for a left-padded prefill and a cached
 * continuation, written by the training script). Every folder that has one is checked.
 */
const test = suite('runners/decoder-session vs torch parity fixtures');

interface Stage {
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  logits_slice: number[][][];
  argmax: number[][];
}
interface Fixture {
  vocab_slice: number;
  prefill: Stage;
  continuation: Stage;
}

const TOLERANCE = 1e-4;

function realTokens(stage: Stage, row: number): number[] {
  return stage.input_ids[row].filter((_, j) => stage.attention_mask[row][stage.attention_mask[row].length - stage.input_ids[row].length + j] === 1);
}

const modelsDir = packagePath('datasets', 'models');
const folders = existsSync(modelsDir) ? readdirSync(modelsDir).filter((m) => existsSync(join(modelsDir, m, 'parity-fixture.json')) && existsSync(join(modelsDir, m, 'onnx', 'model.onnx'))) : [];
if (folders.length === 0) console.log('SKIP torch parity: no datasets/models/*/parity-fixture.json yet');

for (const name of folders) {
  test(`${name}: prefill and cached continuation match torch's left-padded ones`, async () => {
    const dir = join(modelsDir, name);
    const fx = JSON.parse(readFileSync(join(dir, 'parity-fixture.json'), 'utf8')) as Fixture;
    const session = await DecoderSession.create(loadModelFolder(dir));
    try {
      const check = (out: Awaited<ReturnType<DecoderSession['forward']>>, stage: Stage, rows: number[][], label: string): void => {
        rows.forEach((row, b) => {
          const width = stage.input_ids[b].length;
          for (let j = 0; j < row.length; j++) {
            const col = width - row.length + j; // real tokens sit at the right end in the fixture
            const off = out.offset(b, j);
            for (let v = 0; v < fx.vocab_slice; v++) {
              const d = Math.abs(out.logits[off + v] - stage.logits_slice[b][col][v]);
              assert.ok(d < TOLERANCE, `${label} row ${b} pos ${col} vocab ${v}: |Δ| ${d}`);
            }
            assert.is(argmaxAt(out.logits, off, out.vocab), stage.argmax[b][col], `${label} row ${b} pos ${col} argmax`);
          }
        });
      };
      const prefillRows = fx.prefill.input_ids.map((_, b) => realTokens(fx.prefill, b));
      const prefill = await session.forward(prefillRows);
      check(prefill, fx.prefill, prefillRows, 'prefill');
      // our cache positions must be the fixture's explicit position ids
      const contRows = fx.continuation.input_ids;
      contRows.forEach((_, b) => assert.is(prefill.cache!.realLengths[b], fx.continuation.position_ids[b][0]));
      check(await session.forward(contRows, prefill.cache), fx.continuation, contRows, 'continuation');
    } finally {
      await session.release();
    }
  });
}

test.run();
