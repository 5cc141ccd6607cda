/**
 * Issue 24 end to end on the bundled student: a packed RTN variant gets its savings against
 * the student (bits per parameter checked against config.json by hand, KV bytes, cost), a
 * simulated one says n/a, and every generate instance records its length and ending.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { evaluateGate } from '../../../reports/gate/evaluate.js';
import { studentDir, tempDir } from '../fixtures.js';
import { inputErrorOf, recordSchemaProblems, writeConfig } from './fixtures.js';
import { loadRunConfig, readConfigFile } from '../../../runners/matrix/config.js';
import { packagePath } from '../../../core/paths.js';

const test = suite('runners/matrix/savings');

function writeGenerateSuite(): string {
  const dir = tempDir('suite-gen');
  const rows = [{ id: 'a', question: 'One plus one is', answer: 'two' }, { id: 'b', question: 'The capital of France is', answer: 'Paris' }, { id: 'c', question: 'Once upon a', answer: 'time' }];
  writeFileSync(join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'suite.json'), JSON.stringify({ id: 'tiny-gen', version: '1', description: 'three prompts', dataset: 'data.jsonl', kind: 'generate', template: '{question}', answerField: 'answer', generation: { maxNewTokens: 6 }, metrics: ['contains'] }));
  return dir;
}

test('student + rtn-w4 (packed) + rtn-w3 (simulated): savings, bits per parameter, KV bytes, cost; lengths in instances.jsonl and the cells', async () => {
  const student = studentDir('savings run');
  if (!student) return;
  const config = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'rtn', bits: [4, 3], group: 32 }],
    suites: [writeGenerateSuite()],
    seed: 1,
    measurement: { enabled: true, reuse: false, settings: { promptTokens: 8, prefillRepeats: 2, warmupTokens: 1, decodeTokens: 4 } },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
    cost: { usdPerHour: 3.6 },
  });
  const r = await runMatrix({ configFile: config, outDir: tempDir('out') }, () => undefined);
  assert.is(r.record.complete, true);
  assert.equal(recordSchemaProblems(r.record), [], 'the record passes its schema');
  const [base, w4, w3] = r.record.variants;
  assert.equal([w4.id, w4.executionForm, w3.executionForm], ['student/rtn-w4-g32', 'packed', 'simulated']);

  // By hand from config.json: hidden 128, intermediate 384, 2 layers, vocab 2048, untied head.
  const [H, I, L, V] = [128, 384, 2, 2048];
  const linear = L * (4 * H * H + 3 * H * I);
  const norms = L * 2 * H + H;
  assert.equal([base.weights!.embedding.parameters, base.weights!.body.parameters, base.weights!.bitsPerParameter], [2 * V * H, linear + norms, 32]);
  const manifest = JSON.parse(readFileSync(join(isAbsolute(w4.dir) ? w4.dir : packagePath(w4.dir), 'compression.json'), 'utf8')) as { params: { symmetric: boolean }; parameters: { total: number } };
  const zeroPoints = !manifest.params.symmetric;
  // compression.json's parameters.total counts the fp32 scales as parameters too (one per 32 weights); here they are stored bytes.
  assert.is(manifest.parameters.total - w4.weights!.parameters, linear / 32);
  assert.is(w4.weights!.parameters, base.weights!.parameters, 'the same logical weights as the parent');
  // 4-bit codes + one fp32 scale per 32 weights (+ one packed 4-bit zero point per 32); norms stay fp32.
  const linearBits = 4 + 32 / 32 + (zeroPoints ? 4 / 32 : 0);
  assert.is(w4.weights!.body.parameters, linear + norms);
  assert.ok(Math.abs(w4.weights!.body.storedBytes - (linear * linearBits + norms * 32) / 8) < 1e-9, JSON.stringify(w4.weights));
  assert.is(w4.weights!.embedding.bitsPerParameter, 32, 'embedding and head stay fp32');
  // KV: 2 layers × 4 kv heads × 32 head dim × (4 + 4) bytes × 1,000 tokens.
  assert.equal(w4.kvCapacity!.types, [{ type: 'fp32', bytesPer1kTokens: 2 * 4 * 32 * 8 * 1000 }]);

  const savings = new Map((r.record.savings ?? []).map((s) => [s.variantId, s]));
  const s4 = savings.get(w4.id)!;
  if (s4.state !== 'computed') throw new Error(`no savings: ${s4.reason}`);
  const m = new Map((r.record.measurements ?? []).map((x) => [x.variantId, x]));
  const [mv, mp] = [m.get(w4.id)!, m.get('student')!];
  if (mv.state !== 'measured' || mp.state !== 'measured') throw new Error('not measured');
  assert.equal(s4.diskBytes, { variant: mv.sizeBytes, parent: mp.sizeBytes, saving: 1 - mv.sizeBytes / mp.sizeBytes });
  assert.is(s4.decodeTokensPerS.variant, mv.decode.tokensPerS);
  assert.ok(Math.abs(s4.cost!.usdPerMillionTokens.variant - 1e6 / mv.decode.tokensPerS / 1000) < 1e-9, '$3.60/h = $0.001/s');
  assert.ok(mv.sizeBytes < mp.sizeBytes, '4-bit weights are smaller on disk');
  const s3 = savings.get(w3.id)!;
  assert.ok(s3.state === 'not-applicable' && s3.reason.startsWith('n/a (simulated)'));
  assert.not.ok(savings.has('student'), 'the student stands on its own');

  const gate = evaluateGate(r.record, { rules: [{ id: 'disk', kind: 'min_disk_saving', min: 0.1, variants: w4.id }] }, { source: 't', sha256: '0'.repeat(64) });
  assert.is(gate.rules[0].value, s4.diskBytes.saving);

  const lines = readFileSync(join(r.outDir, 'instances.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { variantId: string; outcome?: { generatedTokens?: number; finishReason?: string; maxNewTokens?: number } });
  assert.is(lines.length, 9);
  for (const l of lines) {
    assert.ok(Number.isInteger(l.outcome?.generatedTokens) && l.outcome!.generatedTokens! >= 1 && l.outcome!.generatedTokens! <= 6, JSON.stringify(l.outcome));
    assert.ok(['eos', 'stop', 'length'].includes(l.outcome!.finishReason!));
    assert.is(l.outcome!.maxNewTokens, 6);
  }
  for (const v of r.record.variants) {
    const own = lines.filter((l) => l.variantId === v.id);
    const sorted = own.map((l) => l.outcome!.generatedTokens!).sort((a, b) => a - b);
    const cell = r.record.cells.find((c) => c.variantId === v.id);
    if (cell?.state !== 'ok') throw new Error('cell not ok');
    assert.is(cell.generation!.medianTokens, sorted[1], 'median of three is the middle one');
    assert.is(cell.generation!.hitLimit, own.filter((l) => l.outcome!.finishReason === 'length').length);
  }
});

test('config cost: docs/savings-config.json carries it; a bad usdPerHour is one line naming the JSON path', () => {
  assert.equal(loadRunConfig(packagePath('docs', 'savings-config.json')).cost, { usdPerHour: 0.34 });
  const bad = writeConfig({}, '{\n  "cost": { "usdPerHour": 0 }\n}\n');
  assert.match(inputErrorOf(() => readConfigFile(bad)), `${bad}:2: $.cost.usdPerHour`);
  const extra = writeConfig({}, '{\n  "cost": { "usdPerHour": 1, "eur": 2 }\n}\n');
  assert.match(inputErrorOf(() => readConfigFile(extra)), '$.cost');
});

test.run();
