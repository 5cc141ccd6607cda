import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../../core/errors.js';
import { readGgufFile } from '../../../../runners/formats/gguf/index.js';
import { GGUF_QUANT_TYPES, quantizeGguf, type GgufQuantRecord, type ImportanceMatrix } from '../../../../runners/compress/gguf/index.js';
import { tempDir } from '../../fixtures.js';
import { nextTokenLogits } from './llama-load.js';
import { writeTinyLlamaGguf, TINY_SHAPE } from './tiny-gguf.js';

const test = suite('runners/compress/gguf/quantize-gguf (tiny F32 Llama GGUF, hidden 256: no fallbacks)');

const dir = tempDir('gguf-quant');
const source = join(dir, 'tiny-f32.gguf');
const layout = writeTinyLlamaGguf(source);
const VOCAB = 3 + 256 + TINY_SHAPE.extraTokens;

function assertRecordMatchesFile(r: GgufQuantRecord): void {
  const file = readGgufFile(r.output.path);
  assert.is(r.tensors.length, file.tensors.length);
  for (const t of file.tensors) {
    const rec = r.tensors.find((x) => x.name === t.name)!;
    assert.is(rec.actualType, t.type.name, t.name);
    assert.equal(rec.dims, t.dims, t.name);
    assert.is(rec.sizeBytes, t.bytes, t.name);
  }
  assert.is(r.output.sizeBytes, file.fileBytes);
}

/** A non-uniform importance matrix for every 2-D block weight of the tiny model. */
function syntheticImatrix(length?: (n: number) => number): ImportanceMatrix {
  const entries = new Map<string, Float32Array>();
  for (const t of layout) {
    if (t.dims.length !== 2 || !t.name.startsWith('blk.')) continue;
    const n = length ? length(t.dims[0]!) : t.dims[0]!;
    entries.set(t.name, Float32Array.from({ length: n }, (_, j) => (j % 16 === 0 ? 50 : 0.01 + (j % 7))));
  }
  return { entries, source: { kind: 'synthetic test imatrix' } };
}

for (const type of ['Q8_0', 'Q6_K', 'Q5_K_M', 'Q4_K_M', 'Q4_0', 'Q3_K_M', 'Q2_K'] as const) {
  test(`${type}: a loadable file with finite logits; the record's per-tensor types are the file's`, async () => {
    const out = join(dir, `tiny-${type}.gguf`);
    const r = await quantizeGguf(source, type, out);
    assert.is(r.type, type);
    assert.is(r.ftype, GGUF_QUANT_TYPES[type].ftype);
    assert.equal(r.llamaCpp, { release: 'v0.5.0', nodeLlamaCpp: '3.22.1' });
    assertRecordMatchesFile(r);
    assert.equal(r.fallbacks, []);
    assert.equal(r.shapeLimited, []);
    for (const t of r.tensors) {
      assert.is(t.requestedType, t.actualType, t.name);
      // 1-D norms stay F32; every 2-D weight is quantized.
      assert.is(t.actualType === 'F32', t.dims.length === 1, t.name);
    }
    assert.ok(r.bitsPerWeight.quantizedTensors >= r.bitsPerWeight.nominal - 1e-9, `${r.bitsPerWeight.quantizedTensors} < nominal`);
    assert.ok(r.bitsPerWeight.file > r.bitsPerWeight.quantizedTensors && r.bitsPerWeight.file < 32);
    assert.ok(r.source.sizeBytes > 3 * r.output.sizeBytes);
    assert.ok(r.log.some((l) => l.includes('quant size')));
    const logits = await nextTokenLogits(out);
    assert.is(logits.length, VOCAB);
    assert.ok(logits.every(Number.isFinite));
    assert.ok(Math.max(...logits) > Math.min(...logits));
  });
}

test('determinism: the same call twice gives byte-identical files', async () => {
  const a = await quantizeGguf(source, 'Q4_K_M', join(dir, 'det-a.gguf'));
  const b = await quantizeGguf(source, 'Q4_K_M', join(dir, 'det-b.gguf'), { recordFile: join(dir, 'det-b.json') });
  assert.equal(JSON.parse(readFileSync(join(dir, 'det-b.json'), 'utf8')), JSON.parse(JSON.stringify(b)));
  assert.is(a.output.sha256, b.output.sha256);
  assert.ok(readFileSync(a.output.path).equals(readFileSync(b.output.path)));
});

test('unknown type, requantizing and a missing imatrix are one-line InputErrors; nothing is written', async () => {
  const oneLine = (re: RegExp) => (e: unknown) => e instanceof InputError && !e.message.includes('\n') && re.test(e.message);
  const before = readdirSync(dir).length;
  await quantizeGguf(source, 'Q4_K_X', join(dir, 'x.gguf')).then(() => assert.unreachable(), (e) => assert.ok(oneLine(/unknown llama\.cpp quantization type 'Q4_K_X'.*use one of Q8_0/)(e), String(e)));
  const q8 = join(dir, 'tiny-Q8_0.gguf');
  await quantizeGguf(q8, 'Q4_0', join(dir, 'x.gguf')).then(() => assert.unreachable(), (e) => assert.ok(oneLine(/already quantized \(Q8_0\).*re-export from the F32\/F16 model/)(e), String(e)));
  await quantizeGguf(source, 'IQ2_XXS', join(dir, 'x.gguf')).then(() => assert.unreachable(), (e) => assert.ok(oneLine(/IQ2_XXS: llama\.cpp refuses this type without an importance matrix/)(e), String(e)));
  await quantizeGguf(source, 'Q8_0', source).then(() => assert.unreachable(), (e) => assert.ok(oneLine(/would overwrite the source/)(e), String(e)));
  assert.is(readdirSync(dir).length, before);
});

test('a GGUF llama.cpp cannot load: its reason in one line, no output left behind', async () => {
  const bad = join(dir, 'nosuch-arch.gguf');
  writeTinyLlamaGguf(bad, { ...TINY_SHAPE, architecture: 'nosuch' });
  const out = join(dir, 'nosuch-q8.gguf');
  await quantizeGguf(bad, 'Q8_0', out).then(
    () => assert.unreachable(),
    (e) => assert.ok(e instanceof InputError && /cannot quantize it: unknown model architecture: 'nosuch'/.test(e.message), String(e)),
  );
  assert.not.ok(existsSync(out));
});

test('imatrix: changes Q4_K_M and IQ4_XS output, deterministically, and reaches every entry', async () => {
  const im = syntheticImatrix();
  for (const type of ['Q4_K_M', 'IQ4_XS']) {
    const plain = await quantizeGguf(source, type, join(dir, `im-${type}-plain.gguf`));
    const a = await quantizeGguf(source, type, join(dir, `im-${type}-a.gguf`), { imatrix: im });
    const b = await quantizeGguf(source, type, join(dir, `im-${type}-b.gguf`), { imatrix: im });
    assert.is.not(a.output.sha256, plain.output.sha256, type);
    assert.is(a.output.sha256, b.output.sha256, type);
    assert.is(a.imatrix?.entries, im.entries.size);
    // llama.cpp quantizes the embedding and head without data here: recorded, not hidden.
    assert.equal([...a.imatrix!.missing].sort(), ['output.weight', 'token_embd.weight']);
    assert.is(plain.imatrix, null);
  }
});

test('imatrix: an IQ2_XXS file (needs one) loads and gives finite logits', async () => {
  const out = join(dir, 'tiny-IQ2_XXS.gguf');
  const r = await quantizeGguf(source, 'IQ2_XXS', out, { imatrix: syntheticImatrix() });
  assertRecordMatchesFile(r);
  assert.ok(r.tensors.some((t) => t.actualType === 'IQ2_XXS'));
  assert.ok((await nextTokenLogits(out)).every(Number.isFinite));
});

test('a wrong-length imatrix entry is refused by compbench before llama.cpp runs', async () => {
  const out = join(dir, 'bad-im.gguf');
  await quantizeGguf(source, 'Q4_K_M', out, { imatrix: syntheticImatrix((n) => n - 32) }).then(
    () => assert.unreachable(),
    (e) => assert.ok(e instanceof InputError && /has \d+ values but .* needs \d+ \(n_per_row/.test(e.message) && !e.message.includes('llama.cpp could not'), String(e)),
  );
  assert.not.ok(existsSync(out));
  assert.not.ok(readdirSync(dir).some((n) => n.includes('.tmp-')));
});

test('threads: 2 threads give the same bytes as 1', async () => {
  const one = await quantizeGguf(source, 'Q4_K_M', join(dir, 't1.gguf'), { threads: 1 });
  const two = await quantizeGguf(source, 'Q4_K_M', join(dir, 't2.gguf'), { threads: 2 });
  assert.is(two.threads, 2);
  assert.is(one.output.sha256, two.output.sha256);
});

test.run();
