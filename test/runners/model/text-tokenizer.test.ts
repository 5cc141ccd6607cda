import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { loadModelFolder } from '../../../runners/model/model-folder.js';
import { storiesDir } from '../fixtures.js';

const test = suite('runners/text-tokenizer');

test('stories260k: BOS prefix, lm-eval pair split, continuation decoding', () => {
  const dir = storiesDir('tokenizer');
  if (!dir) return;
  const tok = loadModelFolder(dir).tokenizer;
  assert.equal(tok.prefixIds, [1], 'post-processor adds <s> (id 1)');
  assert.equal(tok.encode(''), [1]);
  // ids from the llama2.c vocabulary (tokenizer.json): ▁Once 403, ▁upon 407, ▁a 261, ▁time 378
  assert.equal(tok.encode('Once upon a time'), [1, 403, 407, 261, 378]);
  const a = tok.encodePair('Once upon a time', ' there');
  const b = tok.encodePair('Once upon a time ', 'there');
  assert.equal(a, b, 'trailing whitespace of the context moves into the continuation');
  assert.equal(a.contextIds, [1, 403, 407, 261, 378]);
  assert.equal(a.continuationIds, tok.encode('Once upon a time there').slice(5));
  assert.is(tok.decodeContinuation(a.contextIds, a.continuationIds), ' there', 'keeps the leading space');
  assert.is(tok.decode(a.continuationIds), 'there', 'a lone decode strips it (sentencepiece)');
  assert.is(tok.decodeContinuation([1], [403, 407]), 'Once upon');
  assert.is(tok.vocabSize, 512);
});

test('a token straddling the context/continuation boundary is scored with the continuation', () => {
  // The bundled tokenizer attaches spaces to word ends: "dentist. She " is `dentist`, `. `, `She `.
  const tok = loadModelFolder(packagePath('datasets', 'models', 'teacher')).tokenizer;
  const context = 'Folake Balogun is a dentist.';
  const whole = tok.encode(`${context} She enjoys chess.`);
  const lone = tok.encode(context);
  assert.is(tok.decode([lone[lone.length - 1]]), '.', 'the context alone ends in `.`');
  const pair = tok.encodePair(context, ' She enjoys chess.');
  assert.equal([...pair.contextIds, ...pair.continuationIds], whole, 'context + continuation is the natural encoding');
  assert.equal(pair.contextIds, lone.slice(0, -1), 'the split moves back to before `.`');
  assert.is(tok.decode(pair.continuationIds), '. She enjoys chess.');
  // When the context's encoding is a prefix of the whole, the lm-eval split is unchanged.
  const clean = tok.encodePair('Folake Balogun is a dentist. ', 'She enjoys chess.');
  assert.equal(clean.contextIds, lone.slice(0, -1), 'trailing space moves to the continuation, then the same rule applies');
});

test.run();
