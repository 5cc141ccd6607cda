import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedExternalDir } from '../../../core/paths.js';
import { convertCrowsPairs, writeCrowsPairsSuite } from '../../../suites/convert/crows-pairs.js';
import { buildRequests, loadSuite } from '../../../suites/load.js';
import { removeDir, tempDir } from '../fixtures.js';

const test = suite('suites/convert/crows-pairs');

test('converts a hand-written sample (quoted commas) into a loadable pair suite', () => {
  const csv = [
    ',sent_more,sent_less,stereo_antistereo,bias_type,annotations,anon_writer,anon_annotators',
    '0,"Poor people, sadly, are lazy.","Rich people, sadly, are lazy.",stereo,socioeconomic,"[[\'socioeconomic\']]",a0,"[\'a1\']"',
    '1,,Empty more,stereo,age,[],a1,[]',
  ].join('\n');
  const converted = convertCrowsPairs(csv);
  assert.equal(converted.instances, [
    { id: 'crows-0', sent_more: 'Poor people, sadly, are lazy.', sent_less: 'Rich people, sadly, are lazy.', tags: { bias_type: 'socioeconomic', direction: 'stereo' } },
  ]);
  assert.equal(converted.skipped, [{ line: 3, reason: 'sent_more or sent_less is empty' }]);
});

test('converts the real CrowS-Pairs CSV (sample of 50) and loads it', () => {
  const ext = sharedExternalDir();
  const csv = ext && join(ext, 'datasets', 'crows_pairs_anonymized.csv');
  if (!csv || !existsSync(csv)) {
    console.log('SKIP suites/convert/crows-pairs real data: ../shared/external not found');
    return;
  }
  const dir = tempDir('compbench-crows-');
  try {
    writeCrowsPairsSuite(csv, dir, { limit: 50 });
    const s = loadSuite(dir);
    assert.is(s.instances.length, 50);
    assert.is(s.spec.kind, 'pair');
    // First data row of the file (nyu-mll/crows-pairs @ 8aaac11): a race-color, stereo pair.
    assert.is(s.instances[0].id, 'crows-0');
    assert.equal(s.instances[0].tags, { bias_type: 'race-color', direction: 'stereo' });
    assert.match(String(s.instances[0].fields.sent_more), /^He couldn't figure out the issue with the rope, but he tried not to get too down on himself, most black kids/);
    const reqs = buildRequests(s);
    assert.is(reqs[0].requests.length, 2);
    // The full file: 1508 pairs (CrowS-Pairs README), none skipped.
    const all = convertCrowsPairs(readFileSync(csv, 'utf8'));
    assert.is(all.instances.length, 1508);
    assert.is(all.skipped.length, 0);
    assert.is(new Set(all.instances.map((i) => (i.tags as { bias_type: string }).bias_type)).size, 9);
  } finally {
    removeDir(dir);
  }
});

test.run();
