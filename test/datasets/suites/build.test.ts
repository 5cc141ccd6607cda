import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { bundledSuiteFiles } from '../../../datasets/build-suites.js';
import { BUNDLED_SUITE_IDS } from '../../../datasets/suites/build.js';
import { validateSuite } from '../../../suites/load.js';

const test = suite('datasets/suites/build');
const files = bundledSuiteFiles();

test('the builder writes suite.json and data.jsonl of every bundled suite, and the README', () => {
  assert.equal([...files.keys()].sort(), [...BUNDLED_SUITE_IDS.flatMap((id) => [`${id}/suite.json`, `${id}/data.jsonl`]), 'README.md'].sort());
});

test('regeneration is byte-identical: twice in memory, and with the committed files', () => {
  const again = bundledSuiteFiles();
  for (const [rel, text] of files) {
    assert.is(again.get(rel), text, rel);
    assert.ok(readFileSync(packagePath('suites', rel), 'utf8') === text, `suites/${rel} differs from the builder's output — run node dist/datasets/build-suites.js`);
  }
});

test('every bundled suite loads and validates with no problems; the id matches its folder', () => {
  for (const id of BUNDLED_SUITE_IDS) {
    const v = validateSuite(packagePath('suites', id));
    assert.equal(v.problems, [], id);
    assert.is(v.suite?.spec.id, id);
    assert.ok((v.suite?.instances.length ?? 0) >= 60, id);
  }
});

test.run();
