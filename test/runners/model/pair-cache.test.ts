/**
 * The pair cache (runners/model/pair-cache.ts): pairs taken from it are the ids a fresh
 * tokenization gives, under the same tokenizer only, and a second call tokenizes nothing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import type { LoglikelihoodRequest } from '../../../core/requests.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { cachedPair, clearPairCache, PAIR_CACHE_IDS, storePair } from '../../../runners/model/pair-cache.js';
import { tokenizePairs, type RequestTokenizer } from '../../../runners/model/request-tokens.js';
import { storiesDir } from '../fixtures.js';

const test = suite('runners/pair-cache');

const HEADER = 'Q: What is the capital of France?\nA: Paris\n\nQ: Who wrote Hamlet?\nA: William Shakespeare\n\n';

function requests(): LoglikelihoodRequest[] {
  const out: LoglikelihoodRequest[] = [];
  for (const q of ['What is the largest ocean?', 'Which planet is red?', 'dentist.']) {
    for (const c of [' Pacific', ' Mars', 'She', ' She ', '']) out.push({ context: `${HEADER}Q: ${q}\nA:`, continuation: c });
    out.push({ context: `${HEADER}Q: ${q}\nA: `, continuation: 'Mars' });
  }
  return out;
}

/** Counts encode calls of a tokenizer (encodePair goes through encode). */
function counting(tok: RequestTokenizer): { tok: RequestTokenizer; calls: () => number } {
  let calls = 0;
  const wrapped: RequestTokenizer = {
    prefixIds: tok.prefixIds,
    fingerprint: tok.fingerprint,
    encode: (text) => {
      calls++;
      return tok.encode(text);
    },
    encodePair(context, continuation, contextIds) {
      calls++;
      return tok.encodePair(context, continuation, contextIds);
    },
  };
  return { tok: wrapped, calls: () => calls };
}

test('teacher: cached pairs equal fresh tokenization; the second call encodes nothing', () => {
  clearPairCache();
  const tok = loadModelFolder(packagePath('datasets', 'models', 'teacher')).tokenizer;
  const fresh = tokenizePairs({ prefixIds: tok.prefixIds, encode: (t) => tok.encode(t), encodePair: (a, b, c) => tok.encodePair(a, b, c) }, requests(), 256);
  const { tok: counted, calls } = counting(tok);
  const first = tokenizePairs(counted, requests(), 256);
  const afterFirst = calls();
  const second = tokenizePairs(counted, requests(), 256);
  assert.ok(afterFirst > 0);
  assert.is(calls(), afterFirst, 'the second call is served from the cache');
  assert.equal(first, fresh);
  assert.equal(second, fresh);
  // another load of the same files shares the entries; truncation still applies per call
  const again = loadModelFolder(packagePath('datasets', 'models', 'teacher')).tokenizer;
  assert.is(again.fingerprint, tok.fingerprint);
  const short = tokenizePairs(again, requests(), 12);
  short.forEach((p, i) => {
    assert.ok(p.contextIds.length + p.continuationIds.length - 1 <= 12);
    assert.equal(p.contextIds, fresh[i].contextIds.slice(-p.contextIds.length));
  });
});

test('another tokenizer never reads the first one\'s entries', () => {
  const dir = storiesDir('pair cache');
  if (!dir) return;
  clearPairCache();
  const teacher = loadModelFolder(packagePath('datasets', 'models', 'teacher')).tokenizer;
  const stories = loadModelFolder(dir).tokenizer;
  assert.is.not(stories.fingerprint, teacher.fingerprint);
  tokenizePairs(teacher, requests(), 256);
  const fromStories = tokenizePairs(stories, requests(), 256);
  const fresh = tokenizePairs({ prefixIds: stories.prefixIds, encode: (t) => stories.encode(t), encodePair: (a, b, c) => stories.encodePair(a, b, c) }, requests(), 256);
  assert.equal(fromStories, fresh);
});

test('the bound drops what is held instead of growing', () => {
  clearPairCache();
  const big = { contextIds: Array.from({ length: PAIR_CACHE_IDS - 10 }, () => 1), continuationIds: [2] };
  storePair('fp', 'a', 'b', big);
  assert.ok(cachedPair('fp', 'a', 'b'));
  storePair('fp', 'c', 'd', { contextIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], continuationIds: [3] });
  assert.is(cachedPair('fp', 'a', 'b'), undefined, 'the earlier entries were dropped');
  assert.ok(cachedPair('fp', 'c', 'd'));
  assert.is(cachedPair('other', 'c', 'd'), undefined);
  // keys keep the boundary: ('ab', 'c') is not ('a', 'bc')
  storePair('fp', 'ab', 'c', { contextIds: [1], continuationIds: [5] });
  assert.is(cachedPair('fp', 'a', 'bc'), undefined);
  clearPairCache();
});

test.run();
