/**
 * Packed rows (issue 15 item 3): the `token_mask` surgery is made where the mask is
 * unambiguous and refused elsewhere; the feeds give each slot its own positions and keys;
 * a session whose packed rows disagree with plain rows is refused (fail-closed probe); and
 * the W8A8 synth format (rows interact) is never packed by the scorer.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DecoderSession } from '../../../../runners/backends/onnxruntime/decoder-session.js';
import { packedRowsAgree } from '../../../../runners/backends/onnxruntime/edited-session.js';
import { checkLinks, packedPositions, tokenMask } from '../../../../runners/backends/onnxruntime/packed-rows.js';
import { OnnxDataType } from '../../../../runners/formats/onnx/index.js';
import { readModelFile } from '../../../../runners/formats/onnx/read-model.js';
import { valueInfo } from '../../../../runners/graph/graph-builder.js';
import { addTokenMask, TOKEN_MASK, tokenMaskBlocker } from '../../../../runners/graph/token-mask.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import { buildSynthLlama } from '../../../../runners/synth/llama-graph.js';
import { storiesDir, teacherDir } from '../../fixtures.js';

const test = suite('runners/onnxruntime (packed rows)');

const SHAPE = { hidden: 64, layers: 2, intermediate: 128, heads: 2, kvHeads: 2, vocab: 2048, maxPositions: 64, seed: 5 };

test('positions: the past length plus the depth in the tree of links', () => {
  const out = new BigInt64Array(8);
  // a context of 3, then branches [3, 4] and [5] after column 2, and [6] after column 3
  packedPositions(out, 1, 7, 10, [-1, 0, 1, 2, 3, 2, 3]);
  assert.equal([...out].map(Number), [0, 10, 11, 12, 13, 14, 13, 14]);
  packedPositions(out, 0, 3, 4);
  assert.equal([...out.subarray(0, 3)].map(Number), [4, 5, 6]);
});

test('token mask: a token sees the past, its ancestors and itself; padding and plain rows see all', () => {
  // one row of 5 tokens in width 6 after a past of 2: context 2, a branch [2, 3], a branch [4];
  // the padding column stays allowed (attention_mask hides it)
  const m = tokenMask(1, 6, 2, [5], [[-1, 0, 1, 2, 1]]);
  const row = (i: number): number[] => [...m.subarray(i * 8, i * 8 + 8)];
  assert.equal(row(0), [1, 1, 1, 0, 0, 0, 0, 1]);
  assert.equal(row(3), [1, 1, 1, 1, 1, 1, 0, 1]);
  assert.equal(row(4), [1, 1, 1, 1, 0, 0, 1, 1]);
  assert.equal(row(5), [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.ok(tokenMask(2, 3, 1, [3, 2]).every((x) => x === 1));
});

test('links must point to earlier columns, one per token', () => {
  checkLinks([[1, 2, 3]], [[-1, 0, 0]]);
  assert.throws(() => checkLinks([[1, 2, 3]], [[-1, 2, 1]]), /earlier column/);
  assert.throws(() => checkLinks([[1, 2, 3]], [[-1, 0, 1, 2]]), /entries/);
  assert.throws(() => checkLinks([[1, 2]], [[-2, 0]]), /earlier column/);
});

test('surgery: made on the synth graph, the teacher and stories260k; refused where the mask is read otherwise', () => {
  const synth = buildSynthLlama(SHAPE);
  assert.is(tokenMaskBlocker(synth), undefined);
  assert.ok(addTokenMask(synth));
  assert.ok(((synth.graph!.input ?? []) as { name?: string }[]).some((i) => i.name === TOKEN_MASK));
  assert.match(String(tokenMaskBlocker(synth)), /already has/);
  for (const dir of [teacherDir('token mask (teacher)'), storiesDir('token mask (stories260k)')]) {
    if (!dir || !existsSync(join(dir, 'onnx', 'model.onnx'))) continue;
    assert.is(tokenMaskBlocker(readModelFile(join(dir, 'onnx', 'model.onnx'))), undefined, dir);
  }
  const counting = buildSynthLlama(SHAPE);
  counting.graph!.node!.push({ name: 'count', op_type: 'CumSum', input: ['attention_mask', 'axis'], output: ['counted'], attribute: [] });
  assert.match(String(tokenMaskBlocker(counting)), /CumSum/);
  assert.not.ok(addTokenMask(counting));
  const noPositions = buildSynthLlama(SHAPE);
  noPositions.graph!.input = ((noPositions.graph!.input ?? []) as { name?: string }[]).filter((i) => i.name !== 'position_ids');
  assert.match(String(tokenMaskBlocker(noPositions)), /position_ids/);
  const twoMasks = buildSynthLlama(SHAPE);
  const join2 = twoMasks.graph!.node!.find((n) => n.op_type === 'And')!;
  twoMasks.graph!.node!.push({ ...join2, name: 'second', output: ['second_mask'] });
  twoMasks.graph!.output = [...((twoMasks.graph!.output ?? []) as unknown[]), valueInfo('second_mask', OnnxDataType.BOOL, [1])];
  assert.match(String(tokenMaskBlocker(twoMasks)), /2 nodes/);
});

test('probe: a session whose packed rows differ from plain rows is refused', async () => {
  const dir = teacherDir('packed-rows probe');
  if (!dir) return;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  const plain = await DecoderSession.create(folder, { packRows: false });
  try {
    assert.ok(session.packsRows);
    assert.not.ok(plain.packsRows);
    assert.ok(await packedRowsAgree(session));
    // the same session, answering a packed row as if every slot saw every other one
    const lying = Object.create(session) as DecoderSession;
    lying.forward = async (rows, past, width, options = {}) => session.forward(rows, past, width, { ...options, links: undefined });
    assert.not.ok(await packedRowsAgree(lying));
  } finally {
    await session.release();
    await plain.release();
  }
});

test('a forward on a session without the input refuses owners', async () => {
  const dir = teacherDir('packed-rows refusal');
  if (!dir) return;
  const plain = await DecoderSession.create(loadModelFolder(dir), { packRows: false });
  try {
    let message = '';
    await plain.forward([[1, 2]], undefined, undefined, { links: [[-1, 0]] }).catch((e: Error) => (message = e.message));
    assert.match(message, /does not pack rows/);
  } finally {
    await plain.release();
  }
});

test.run();
