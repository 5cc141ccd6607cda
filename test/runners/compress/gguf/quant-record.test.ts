import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InfraError } from '../../../../core/errors.js';
import { readGgufFile } from '../../../../runners/formats/gguf/index.js';
import { GGUF_QUANT_TYPES, quantizeGguf } from '../../../../runners/compress/gguf/index.js';
import { parseQuantLog } from '../../../../runners/compress/gguf/quant-log.js';
import { buildQuantRecord, type QuantRunFacts } from '../../../../runners/compress/gguf/quant-record.js';
import { tempDir } from '../../fixtures.js';
import { writeTinyLlamaGguf } from './tiny-gguf.js';

const test = suite('runners/compress/gguf/quant-record (file and log must agree)');

const dir = tempDir('gguf-record');
const source = join(dir, 'tiny.gguf');
writeTinyLlamaGguf(source);

test('a log that contradicts the file, hides a fallback or skips a tensor is an InfraError', async () => {
  const r = await quantizeGguf(source, 'Q8_0', join(dir, 'q8.gguf'));
  const out = readGgufFile(r.output.path);
  const text = r.log.join('\n');
  const facts: QuantRunFacts = {
    type: GGUF_QUANT_TYPES.Q8_0, source: readGgufFile(source), outFile: r.output.path, outputSha256: r.output.sha256,
    quantizeMs: 1, wallMs: 2, threads: 1, versions: { nodeLlamaCpp: '3.22.1', llamaCpp: 'v0.5.0' }, logLines: r.log,
  };
  const rebuilt = buildQuantRecord(out, parseQuantLog(text), facts);
  assert.equal(rebuilt.tensors, r.tensors);
  const bad = (t: string, re: RegExp) => assert.throws(() => buildQuantRecord(out, parseQuantLog(t), facts), (e: unknown) => e instanceof InfraError && re.test((e as Error).message));
  const first = /blk\.0\.attn_q\.weight[^\n]*converting to q8_0/.exec(text)![0];
  bad(text.replace(first, first.replace('q8_0', 'q4_0')), /blk\.0\.attn_q\.weight is Q8_0 in the file but the log says Q4_0/);
  bad(`${text}\nllama_model_quantize_impl: WARNING: 1 of 21 tensor(s) required fallback quantization\n`, /reports 1 fallback\(s\) but 0 were parsed/);
  bad(text.split('\n').filter((l) => !l.includes('] blk.1.ffn_up.weight')).join('\n'), /blk\.1\.ffn_up\.weight is in the output but not in llama\.cpp's log/);
});

test.run();
