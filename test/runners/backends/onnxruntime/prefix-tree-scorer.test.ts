/**
 * The prefix-tree scorer on onnxruntime: what it saves (a few-shot header is fed to the model
 * once per call, not once per context) and that its memory bound changes nothing but layout.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_BATCH_LIMITS, rowPlan } from '../../../../runners/backends/onnxruntime/batching.js';
import { DecoderSession } from '../../../../runners/backends/onnxruntime/decoder-session.js';
import { scorePrefixTree, scoreSharedPrefix } from '../../../../runners/backends/onnxruntime/prefix-tree-scorer.js';
import { loadModelFolder } from '../../../../runners/model/model-folder.js';
import type { TokenizedPair } from '../../../../runners/model/request-tokens.js';
import { studentDir } from '../../fixtures.js';
import { fewShotPairs } from '../../few-shot-pairs.js';

const test = suite('runners/onnxruntime (prefix-tree scorer)');

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const pair = (contextIds: number[], continuationIds = [9]): TokenizedPair => ({ contextIds, continuationIds });

/** Tokens (rows × padded width) a scorer feeds the model. */
async function tokensFed(session: DecoderSession, run: () => Promise<unknown>): Promise<number> {
  let fed = 0;
  const forward = session.forward.bind(session);
  session.forward = (rows, past, width, options) => {
    fed += rows.length * (width ?? Math.max(...rows.map((r) => r.length)));
    return forward(rows, past, width, options);
  };
  try {
    await run();
  } finally {
    session.forward = forward;
  }
  return fed;
}

test('student: the header is fed once, under any memory bound', async () => {
  const dir = studentDir('prefix tree tokens');
  if (!dir) return;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  try {
    const plan = rowPlan(DEFAULT_BATCH_LIMITS, session.rowsInteract, folder.config.maxPositions);
    const header = [1, ...range(40, 95)];
    const pairs = range(0, 20).flatMap((q) => [0, 1, 2].map((c) => pair([...header, ...range(300 + q * 7, 6)], [500 + c, 600])));
    const whole = await tokensFed(session, () => scoreSharedPrefix(session, pairs, plan));
    const tree = await tokensFed(session, () => scorePrefixTree(session, pairs, plan));
    const bounded = await tokensFed(session, () => scorePrefixTree(session, pairs, plan, { budgetBytes: 1 }));
    // whole: 20 contexts of 102 tokens padded to 112 + 60 one-token continuation rows padded to 2;
    // tree: 3 header blocks once + 20 last nodes of 6 tokens (an even width: no padding) + 60 × 2
    assert.is(whole, 20 * 112 + 60 * 2);
    assert.is(tree, 96 + 20 * 6 + 60 * 2);
    assert.is(bounded, tree, 'one context per window still computes the header once');
  } finally {
    await session.release();
  }
});

test('student: results do not depend on the memory bound, bit for bit', async () => {
  const dir = studentDir('prefix tree bound');
  if (!dir) return;
  const folder = loadModelFolder(dir);
  const session = await DecoderSession.create(folder);
  try {
    const plan = rowPlan(DEFAULT_BATCH_LIMITS, session.rowsInteract, folder.config.maxPositions);
    const pairs = fewShotPairs(3, folder.config.vocabSize, 90);
    const free = await scorePrefixTree(session, pairs, plan);
    for (const budgetBytes of [1, 200_000]) assert.equal(await scorePrefixTree(session, pairs, plan, { budgetBytes }), free, `bound ${budgetBytes}`);
  } finally {
    await session.release();
  }
});

test.run();
