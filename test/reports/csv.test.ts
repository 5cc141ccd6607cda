import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CSV_COLUMNS, resultsCsv } from '../../reports/csv.js';
import { buildFixtureRun } from './fixtures.js';
import type { RunRecord } from '../../core/run-record.js';

const test = suite('reports/csv');

/** RFC 4180 reader for the test: returns fields with a flag telling whether each was quoted. */
export function parseCsv(text: string): { value: string; quoted: boolean }[][] {
  const rows: { value: string; quoted: boolean }[][] = [];
  let row: { value: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') (value += '"'), (i += 2);
        else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\n') value += text[i++];
    row.push({ value, quoted });
    if (text[i] === ',') i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

const { record } = buildFixtureRun();
const rows = parseCsv(resultsCsv(record));
const col = (name: (typeof CSV_COLUMNS)[number]): number => CSV_COLUMNS.indexOf(name);

test('one overall row per ok cell × metric, with value, CI, n and Δ equal to the record', () => {
  const cell = record.cells.find((c) => c.variantId === 'teacher/rtn-w3-g128' && c.suiteId === 'knowledge-closed')!;
  assert.is(cell.state, 'ok');
  const agg = (cell as unknown as { aggregate: { metrics: { contains: { overall: { value: number; low: number; high: number; n: number } } } } }).aggregate.metrics.contains.overall;
  const delta = (cell as unknown as { vsBaseline: { metrics: { contains: { delta: { delta: number; low: number; high: number } } } } }).vsBaseline.metrics.contains.delta;
  const row = rows.find((r) => r[col('variant')].value === 'teacher/rtn-w3-g128' && r[col('suite')].value === 'knowledge-closed' && r[col('metric')].value === 'contains' && r[col('slice')].value === '')!;
  assert.ok(row);
  assert.is(Number(row[col('value')].value), agg.value);
  assert.is(Number(row[col('ci_low')].value), agg.low);
  assert.is(Number(row[col('ci_high')].value), agg.high);
  assert.is(Number(row[col('n')].value), agg.n);
  assert.is(Number(row[col('delta')].value), delta.delta);
  assert.ok(delta.delta < 0, 'the fixture\'s w3 variant loses knowledge');
  // A negative number is written as a bare number, not neutralized text.
  assert.is(row[col('delta')].value, String(delta.delta));
  assert.is(row[col('delta')].quoted, false);
});

test('slice rows are present', () => {
  const sliceRows = rows.filter((r) => r[col('suite')]?.value === 'rare-words' && r[col('slice')]?.value.startsWith('freq_bucket='));
  assert.ok(sliceRows.length >= 4 * 5);
});

test('an errored cell is one row; its formula-like error text is neutralized', () => {
  const row = rows.find((r) => r[col('state')]?.value === 'errored')!;
  assert.ok(row);
  assert.ok(row[col('error')].value.startsWith(`'=HYPERLINK`), row[col('error')].value);
});

test('injection payloads in string cells are inert, numbers stay numeric', () => {
  const evil: RunRecord = {
    ...record,
    runId: '=cmd|"/c calc"!A1',
    variants: record.variants.map((v) => (v.id === 'teacher' ? v : { ...v })),
    cells: record.cells.map((c) => (c.state === 'errored' ? { ...c, error: '@SUM(A1:A9)' } : c)),
  };
  const parsed = parseCsv(resultsCsv(evil));
  for (const r of parsed.slice(1)) {
    assert.ok(r[col('run_id')].value.startsWith(`'=`));
    for (const f of r) {
      const numeric = f.value !== '' && !Number.isNaN(Number(f.value));
      if (!numeric) assert.not.match(f.value, /^[=+\-@\t\r]/u, `unneutralized cell ${f.value}`);
    }
  }
  assert.ok(parsed.some((r) => r[col('error')]?.value === `'@SUM(A1:A9)`));
});

test.run();
