import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord, VariantRecord } from '../../core/run-record.js';
import { recoveryPairs, recoverySection } from '../../reports/sections/recovery.js';

const test = suite('reports/sections/recovery');

const v = (id: string, model: string, extra: Partial<VariantRecord> = {}): VariantRecord => ({ id, model, sizeBytes: 1, ...extra } as unknown as VariantRecord);

test('each quantized variant of a recovered model pairs with the PTQ variant of the same slug on the model it was recovered from', () => {
  const variants = [
    v('teacher', 'teacher'), v('teacher/rtn-w3-g32', 'teacher', { comparedTo: 'teacher' }), v('teacher/rtn-w2-g32', 'teacher', { comparedTo: 'teacher' }),
    v('teacher-qat-w3', 'teacher-qat-w3', { recoveredFrom: 'teacher', comparedTo: 'teacher' }),
    v('teacher-qat-w3/rtn-w3-g32', 'teacher-qat-w3', { recoveredFrom: 'teacher', comparedTo: 'teacher' }),
    v('teacher-qat-w2/rtn-w2-g32', 'teacher-qat-w2', { recoveredFrom: 'teacher', comparedTo: 'teacher' }),
    v('student/rtn-w3-g32', 'student', { comparedTo: 'student' }),
  ];
  const pairs = recoveryPairs({ variants });
  assert.equal(pairs.map((p) => [p.base, p.latent, p.ptq?.id, p.qat.id]), [
    ['teacher', 'teacher-qat-w3', 'teacher/rtn-w3-g32', 'teacher-qat-w3/rtn-w3-g32'],
    ['teacher', 'teacher-qat-w2', 'teacher/rtn-w2-g32', 'teacher-qat-w2/rtn-w2-g32'],
  ]);
});

test('a recovered variant without its PTQ twin gets a warning, not a table; no recovered model: one line', () => {
  const lone = { variants: [v('teacher', 'teacher'), v('teacher-qat-w2/rtn-w2-g32', 'teacher-qat-w2', { recoveredFrom: 'teacher' })], cells: [], suites: [] } as unknown as RunRecord;
  const blocks = recoverySection({ record: lone, instances: [] }).section.blocks;
  assert.equal(blocks.map((b) => b.kind), ['paragraph']);
  assert.match(blocks[0].kind === 'paragraph' ? blocks[0].text : '', /no PTQ twin teacher\/rtn-w2-g32/);
  const none = { variants: [v('teacher', 'teacher')], cells: [], suites: [] } as unknown as RunRecord;
  assert.match(JSON.stringify(recoverySection({ record: none, instances: [] }).section.blocks), /No variant in this run comes from a QAT-recovered model/);
});

test.run();
