import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord, SuiteRecord } from '../../core/run-record.js';
import { buildSections } from '../../reports/render.js';
import { knowledgePairs, roleSliceOf, suitesWithRole } from '../../reports/roles.js';
import { buildFixtureRun } from './fixtures.js';

const test = suite('reports/roles');

const NO_HISTORY = { state: 'absent', reason: 'test' } as const;

function sections(record: RunRecord): string {
  return JSON.stringify(buildSections({ record, instances: [] }, NO_HISTORY));
}

function withoutRoles(record: RunRecord): RunRecord {
  return { ...record, suites: record.suites.map(({ role: _r, closedBookTwin: _c, roleSlice: _s, ...rest }) => rest) };
}

test('a record written before roles (no role fields) reads the bundled ids as roles and renders the same sections', () => {
  const { record } = buildFixtureRun();
  const legacy = withoutRoles(record);
  assert.equal(suitesWithRole(legacy, 'fairness').map((s) => s.id), ['fairness', 'fairness-people']);
  assert.equal(knowledgePairs(legacy).map((p) => [p.closed?.id, p.open?.id]), [['knowledge-closed', 'knowledge-open']]);
  assert.is(roleSliceOf(legacy, legacy.suites.find((s) => s.id === 'fairness')!, 'contains'), 'dialect');
  assert.is(sections(legacy), sections(record));
});

test('any number of suites per role: a second closed-book suite gets its own knowledge table; an unpaired open-book suite its own', () => {
  const { record } = buildFixtureRun();
  const copy = (id: string, changes: Partial<SuiteRecord>): { suites: SuiteRecord[]; cells: RunRecord['cells'] } => ({
    suites: record.suites.filter((s) => s.id === id).map((s) => ({ ...s, ...changes })),
    cells: record.cells.filter((c) => c.suiteId === id).map((c) => ({ ...c, suiteId: changes.id! })),
  });
  const closed2 = copy('knowledge-closed', { id: 'trivia-closed' });
  const open2 = copy('knowledge-open', { id: 'trivia-open', closedBookTwin: 'not-in-this-run' });
  const more: RunRecord = { ...record, suites: [...record.suites, ...closed2.suites, ...open2.suites], cells: [...record.cells, ...closed2.cells, ...open2.cells] };
  assert.equal(knowledgePairs(more).map((p) => [p.closed?.id, p.open?.id]), [['knowledge-closed', 'knowledge-open'], ['trivia-closed', undefined], [undefined, 'trivia-open']]);
  const text = sections(more);
  for (const id of ['knowledge-table', 'knowledge-table-trivia-closed', 'knowledge-table-trivia-open', 'chart-knowledge-trivia-closed']) assert.ok(text.includes(`"${id}"`), id);
  assert.ok(text.includes('knowledge-closed contains') && text.includes('Δ trivia-closed'), 'the perplexity table compares with every closed-book suite');
});

test('a run with no suite of a role says which role is missing', () => {
  const { record } = buildFixtureRun();
  const bare: RunRecord = { ...record, suites: record.suites.map((s) => ({ ...s, role: 'other' as const })) };
  const text = sections(bare);
  for (const role of ['knowledge-closed', 'rare-words', 'fairness', 'perplexity']) assert.match(text, new RegExp(`has no suite with role '${role}'`));
});

test.run();
