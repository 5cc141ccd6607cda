/**
 * Every loglikelihood shortcut stays exact (issue 15 item 4). The prefix tree, the
 * shared-context scorer and batched full forwards, all with the LM head computed only at the
 * scored positions, against the reference: one full forward per request, one request per
 * call, no KV reuse, the full head. Within 1e-4 per request on the student, the teacher,
 * stories260k and a MatMulNBits 4-bit accuracy_level 0 student; and each request's score
 * must be bit for bit the same whichever other requests share the call (reversed, subsets,
 * alone), whatever the tree's memory bound and the batch limits. Grouped requests (an
 * instance's choices, scored in packed rows) are checked the same way against the reference,
 * and bit for bit across reorderings and subsets of whole groups.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoglikelihoodResponse } from '../../../../core/requests.js';
import { DEFAULT_BATCH_LIMITS, rowPlan, type BatchLimits, type RowPlan } from '../../../../runners/backends/onnxruntime/batching.js';
import { DecoderSession } from '../../../../runners/backends/onnxruntime/decoder-session.js';
import { scoreFullForward, type TokenizedPair } from '../../../../runners/backends/onnxruntime/loglikelihood.js';
import { scorePrefixTree, scoreSharedPrefix } from '../../../../runners/backends/onnxruntime/prefix-tree-scorer.js';
import { compressModel } from '../../../../runners/compress/variants.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import { storiesDir, studentDir, teacherDir, tempDir } from '../../fixtures.js';
import { fewShotGroups, fewShotPairs, groupSubsetOrders, subsetOrders } from '../../few-shot-pairs.js';

const test = suite('runners/onnxruntime (every scorer against independent full forwards)');

const TOLERANCE = 1e-4;

type Scorer = (session: DecoderSession, pairs: readonly TokenizedPair[], plan: RowPlan, groups?: readonly string[]) => Promise<LoglikelihoodResponse[]>;

const SCORERS: [string, Scorer][] = [
  ['prefix tree', (s, p, plan) => scorePrefixTree(s, p, plan)],
  ['prefix tree, 8-token blocks, 64 KiB bound', (s, p, plan) => scorePrefixTree(s, p, plan, { block: 8, budgetBytes: 64 * 1024 })],
  ['shared context', (s, p, plan) => scoreSharedPrefix(s, p, plan)],
  ['batched full forwards', (s, p, plan) => scoreFullForward(s, p, plan)],
];

/** Scorers of grouped requests: a leaf's group in packed rows (packed-scorer.ts). Invariance is per group. */
const GROUPED: [string, Scorer][] = [
  ['prefix tree, packed groups', (s, p, plan, groups) => scorePrefixTree(s, p, plan, { groups })],
  ['prefix tree, packed groups, 8-token blocks, 64 KiB bound', (s, p, plan, groups) => scorePrefixTree(s, p, plan, { groups, block: 8, budgetBytes: 64 * 1024 })],
];

const SMALL_BATCHES: BatchLimits = { maxRows: 3, maxTokens: 256 };

/** The reference: each pair alone, one full forward, the full graph's head. */
async function reference(dir: string, pairs: readonly TokenizedPair[]): Promise<number[]> {
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder, { selectLogits: false });
  try {
    const plan = rowPlan({ maxRows: 1, maxTokens: 1 << 20 }, session.rowsInteract, folder.config.maxPositions);
    const out: number[] = [];
    for (const p of pairs) out.push((await scoreFullForward(session, [p], plan))[0].logprob);
    return out;
  } finally {
    await session.release();
  }
}

async function checkModel(dir: string, label: string, headerLength: number): Promise<void> {
  const folder = loadModelFolder(dir);
  const pairs = fewShotPairs(7, folder.config.vocabSize, headerLength);
  const expected = await reference(dir, pairs);
  const session = await DecoderSession.create(folder);
  assert.ok(session.selectsLogits, `${label}: the session gathers the scored positions`);
  assert.ok(session.packsRows, `${label}: the session packs rows`);
  const groups = fewShotGroups(pairs);
  try {
    for (const limits of [DEFAULT_BATCH_LIMITS, SMALL_BATCHES]) {
      const plan = rowPlan(limits, session.rowsInteract, folder.config.maxPositions);
      for (const [name, score] of SCORERS) {
        const what = `${label}, ${name}, ${limits.maxRows} rows`;
        const all = await score(session, pairs, plan);
        all.forEach((r, i) => assert.ok(Math.abs(r.logprob - expected[i]) < TOLERANCE, `${what}: pair ${i}: ${r.logprob} vs reference ${expected[i]}`));
        for (const { name: order, indices } of subsetOrders(pairs.length, 11)) {
          const part = await score(session, indices.map((i) => pairs[i]), plan);
          indices.forEach((i, k) => assert.ok(Object.is(part[k].logprob, all[i].logprob), `${what}, ${order}: pair ${i}: ${part[k].logprob} vs ${all[i].logprob} in the whole call`));
        }
      }
      for (const [name, score] of GROUPED) {
        const what = `${label}, ${name}, ${limits.maxRows} rows`;
        const all = await score(session, pairs, plan, groups);
        all.forEach((r, i) => assert.ok(Math.abs(r.logprob - expected[i]) < TOLERANCE, `${what}: pair ${i}: ${r.logprob} vs reference ${expected[i]}`));
        for (const { name: order, indices } of groupSubsetOrders(groups, 11)) {
          const part = await score(session, indices.map((i) => pairs[i]), plan, indices.map((i) => groups[i]));
          indices.forEach((i, k) => assert.ok(Object.is(part[k].logprob, all[i].logprob), `${what}, ${order}: pair ${i}: ${part[k].logprob} vs ${all[i].logprob} in the whole call`));
        }
      }
    }
  } finally {
    await session.release();
  }
}

test('student (fp32)', async () => {
  const dir = studentDir('scorer exactness (student)');
  if (dir) await checkModel(dir, 'student', 75);
});

test('teacher (fp32)', async () => {
  const dir = teacherDir('scorer exactness (teacher)');
  if (dir) await checkModel(dir, 'teacher', 150);
});

test('stories260k (fp32)', async () => {
  const dir = storiesDir('scorer exactness (stories260k)');
  if (!dir || !existsSync(join(dir, 'onnx', 'model.onnx'))) return console.log('SKIP scorer exactness (stories260k): model absent');
  await checkModel(dir, 'stories260k', 300);
});

test('student MatMulNBits 4-bit, accuracy_level 0', async () => {
  const dir = studentDir('scorer exactness (rtn4 level 0)');
  if (!dir) return;
  const { outDir } = await compressModel(dir, { method: 'rtn', params: { bits: 4 }, accuracyLevel: 0, includeHead: true, form: 'packed' }, join(tempDir('rtn4'), 'v'));
  await checkModel(outDir, 'rtn4-l0', 75);
});

test.run();
