import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { flopFloor, layerFlopsPerToken, type DecoderShape } from '../../bench/flop-floor.js';
import { fewShotRequests, longContextRequests } from '../../bench/case-requests.js';
import { knowledgeFacts, multipleChoiceRequests } from '../../bench/mc-requests.js';

const shape: DecoderShape = { hidden: 4, intermediate: 8, layers: 2, heads: 2, kvHeads: 1, headDim: 2, vocab: 10 };

const floor = suite('bench/flop-floor: the work a perfect scorer cannot avoid');

floor('a shared context is counted once, the last continuation token never, the head only where scored', () => {
  // contexts [1,2,3] shared; continuations [4] and [5,6]: prefixes 1,12,123 then 1235 (token 6 is only predicted)
  const f = flopFloor([{ contextIds: [1, 2, 3], continuationIds: [4] }, { contextIds: [1, 2, 3], continuationIds: [5, 6] }], shape);
  assert.is(f.tokens, 4);
  // scored: after [1,2,3] (predicts 4 and 5: one node) and after [1,2,3,5] (predicts 6)
  assert.is(f.scoredTokens, 2);
  const attention = 4 * shape.layers * shape.heads * shape.headDim * (1 + 2 + 3 + 4);
  assert.is(f.flops, 4 * layerFlopsPerToken(shape) + attention + 2 * 2 * shape.hidden * shape.vocab);
});

floor('layer FLOPs follow the shape: q, k, v, o projections and a gated MLP', () => {
  // q 4×4, k and v 4×2 each, o 4×4, MLP 3 × 4×8, two layers, 2 FLOPs per multiply-add
  assert.is(layerFlopsPerToken(shape), 2 * 2 * (16 + 16 + 16 + 96));
});

floor.run();

const requests = suite('bench/case-requests: the few-shot and long-context request sets');

requests('the 5-shot header is the same for every request and never holds the evaluated item', () => {
  const facts = knowledgeFacts();
  const rs = fewShotRequests(10, 5);
  assert.is(rs.length, 40);
  const header = facts.slice(0, 5).map((f) => `Q: ${f.question}\nA: ${f.answer}\n\n`).join('');
  const zeroShot = multipleChoiceRequests(10, 5);
  for (const [i, r] of rs.entries()) {
    assert.ok(r.context.startsWith(header));
    assert.is(r.context.slice(header.length), zeroShot[i].context);
    assert.is(r.continuation, zeroShot[i].continuation);
  }
  for (const f of facts.slice(5, 15)) assert.not.ok(header.includes(`Q: ${f.question}\n`));
});

requests('the long-context passage reaches the token count and states the answers asked about', () => {
  const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
  const { requests: rs, passageTokens } = longContextRequests(20, 400, words);
  assert.ok(passageTokens >= 400);
  assert.is(rs.length, 80);
  const passage = rs[0].context.split('\n\n')[0];
  assert.is(words(passage), passageTokens);
  for (const r of rs) assert.ok(r.context.startsWith(`${passage}\n\n`));
  for (const f of knowledgeFacts().slice(0, 20)) assert.ok(passage.includes(`${f.question} ${f.answer}.`));
});

requests.run();
