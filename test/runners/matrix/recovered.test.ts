/**
 * Issue 18 item 4: the QAT-recovered teachers run in the matrix beside the teacher's PTQ
 * variants of equal bits, packed by the same `rtn`, and both are compared with the fp32 teacher.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { cellText } from '../../../reports/document.js';
import { recoverySection } from '../../../reports/sections/recovery.js';
import { runMatrix } from '../../../runners/matrix/run-matrix.js';
import { tempDir } from '../fixtures.js';
import { recordSchemaProblems, writeConfig } from './fixtures.js';

const test = suite('runners/matrix/recovered');
const quiet = (): void => {};
const model = (id: string): string => packagePath('datasets', 'models', id);

test('a --limit run scores teacher-qat-w3/w2 with rtn at their bits, the same size as the PTQ variants, against the fp32 teacher', async () => {
  const configFile = writeConfig({
    models: [
      { id: 'teacher', dir: model('teacher') },
      { id: 'teacher-qat-w3', dir: model('teacher-qat-w3'), recoveredFrom: 'teacher' },
      { id: 'teacher-qat-w2', dir: model('teacher-qat-w2'), recoveredFrom: 'teacher' },
    ],
    methods: [
      { method: 'rtn', bits: [3, 2], group: 32, models: ['teacher'] },
      { method: 'rtn', bits: 3, group: 32, models: ['teacher-qat-w3'] },
      { method: 'rtn', bits: 2, group: 32, models: ['teacher-qat-w2'] },
    ],
    suites: ['knowledge-closed', 'perplexity'],
    limit: 2,
    seed: 5,
    measurement: { enabled: false },
    execution: { workers: 1, shardSize: 8 },
    cacheDir: tempDir('qat-cache'),
  });
  const { record } = await runMatrix({ configFile, outDir: tempDir('qat-out') }, quiet);
  assert.is(record.complete, true);
  assert.equal(recordSchemaProblems(JSON.parse(JSON.stringify(record)) as object), []);
  const byId = new Map(record.variants.map((v) => [v.id, v]));
  for (const bits of [3, 2]) {
    const qat = byId.get(`teacher-qat-w${bits}/rtn-w${bits}-g32`)!;
    const ptq = byId.get(`teacher/rtn-w${bits}-g32`)!;
    assert.is(qat.comparedTo, 'teacher');
    assert.is(qat.recoveredFrom, 'teacher');
    assert.is(byId.get(`teacher-qat-w${bits}`)!.comparedTo, 'teacher');
    assert.is(qat.sizeBytes, ptq.sizeBytes, `w${bits}: equal size`);
    assert.is.not(qat.modelSha256, ptq.modelSha256, `w${bits}: different weights`);
    for (const suiteId of ['knowledge-closed', 'perplexity']) {
      const cell = record.cells.find((c) => c.variantId === qat.id && c.suiteId === suiteId);
      assert.ok(cell?.state === 'ok' && cell.vsBaseline !== undefined, `${qat.id} × ${suiteId}`);
    }
  }
  // The report's PTQ vs QAT section: one table per bit width, a paired Δ with its n in both columns.
  const tables = recoverySection({ record, instances: [] }).section.blocks.filter((b) => b.kind === 'table');
  assert.equal(tables.map((t) => t.kind === 'table' && t.table.id), ['recovery-teacher-qat-w3/rtn-w3-g32', 'recovery-teacher-qat-w2/rtn-w2-g32']);
  for (const t of tables) {
    if (t.kind !== 'table') continue;
    assert.equal(t.table.rows.map((r) => cellText(r[0])), ['knowledge-closed', 'perplexity']);
    for (const r of t.table.rows) for (const i of [3, 4, 5]) assert.match(cellText(r[i]), /\], n=2/);
  }
});

test.run();
