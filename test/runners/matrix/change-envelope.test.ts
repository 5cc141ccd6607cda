import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { packagePath } from '../../../core/paths.js';
import { envelopeForRecord, resolveChangeEnvelope } from '../../../runners/matrix/change-envelope.js';
import { DEFAULT_CONFIG_FILE, readConfigFile } from '../../../runners/matrix/config.js';
import { METHOD_IDS } from '../../../kernels/registry.js';
import { RECOVERY_METHOD } from '../../../reports/change/envelope.js';
import { writeConfig } from './fixtures.js';

const test = suite('runners/matrix/change-envelope');

test('the bundled config names the envelope file; it is read, checked and hashed (plain sha256 of its bytes)', () => {
  const { raw } = readConfigFile(DEFAULT_CONFIG_FILE);
  assert.is(raw.changeEnvelope, 'change-envelope.json');
  const resolved = resolveChangeEnvelope(raw.changeEnvelope, dirname(DEFAULT_CONFIG_FILE), DEFAULT_CONFIG_FILE) as { file: string; sha256: string; envelope: { maxAccuracyDrop: number } };
  const file = packagePath('runners', 'matrix', 'change-envelope.json');
  assert.is(resolved.file, file);
  assert.is(resolved.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  assert.is(resolved.envelope.maxAccuracyDrop, 0.05);
  assert.equal(envelopeForRecord(resolved, () => 'runners/matrix/change-envelope.json'), { ...resolved, file: 'runners/matrix/change-envelope.json' });
});

test("the bundled envelope names only known methods and covers issue 18's (llm-int8, flap, fairprune, QAT recovery)", () => {
  const { allowedMethods } = JSON.parse(readFileSync(packagePath('runners', 'matrix', 'change-envelope.json'), 'utf8')) as { allowedMethods: string[] };
  // 'distill' names the provider's declaration for distilled students (their variants compare with the student itself).
  const known = new Set<string>([...METHOD_IDS, RECOVERY_METHOD, 'distill']);
  assert.equal(allowedMethods.filter((m) => !known.has(m)), [], 'a misspelt method would silently put its variants outside');
  for (const m of ['llm-int8', 'flap', 'fairprune', RECOVERY_METHOD]) assert.ok(allowedMethods.includes(m), m);
});

test('inline envelopes pass through; a bad file is an InputError naming the file and field', () => {
  assert.equal(resolveChangeEnvelope({ maxAccuracyDrop: 0.02 }, '/x', 'c.json'), { maxAccuracyDrop: 0.02 });
  assert.equal(resolveChangeEnvelope(undefined, '/x', 'c.json'), {});
  const dir = dirname(writeConfig({}));
  assert.throws(() => resolveChangeEnvelope('missing.json', dir, 'c.json:3'), (e: Error) => e instanceof InputError && /c\.json:3: \$\.changeEnvelope: cannot read/.test(e.message));
  writeFileSync(join(dir, 'bad.json'), '{\n  "maxAccuracyDrop": "five"\n}\n');
  assert.throws(() => resolveChangeEnvelope('bad.json', dir, 'c.json'), (e: Error) => e instanceof InputError && e.message.includes('bad.json') && e.message.includes('maxAccuracyDrop'));
});

test.run();
