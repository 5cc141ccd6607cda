import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { occursInCorpus } from '../../../datasets/suites/corpus-index.js';
import { bundledCorpus, committedRows, countBy } from './fixtures.js';

const test = suite('datasets/suites/reasoning');
const rows = committedRows('reasoning');

const MOST = new Set(['tallest', 'oldest', 'fastest', 'heaviest']);
const LEAST = new Set(['shortest', 'youngest', 'slowest', 'lightest']);

/** The answer worked out from the question text alone (independent of the generator's code). */
function solve(q: string): string | undefined {
  let m = /^(\w+) has (\d+) (\w+)\. \1 gets (\d+) more and then gives (\d+) to \w+\. How many \3 does \1 have now\?$/.exec(q);
  if (m) return String(Number(m[2]) + Number(m[4]) - Number(m[5]));
  if ((m = /^What is (\d+) plus (\d+) minus (\d+)\?$/.exec(q))) return String(Number(m[1]) + Number(m[2]) - Number(m[3]));
  if ((m = /^What is (\d+) \+ (\d+)\?$/.exec(q))) return String(Number(m[1]) + Number(m[2]));
  if ((m = /^Which number is (larger|smaller), (\d+) or (\d+)\?$/.exec(q))) {
    const [a, b] = [Number(m[2]), Number(m[3])];
    return String(m[1] === 'larger' ? Math.max(a, b) : Math.min(a, b));
  }
  const premises = [...q.matchAll(/(\w+) is (\w+) than (\w+)\./g)];
  if (premises.length !== 2) return undefined;
  const above = new Map(premises.map((p) => [p[1], p[3]]));
  const top = premises.map((p) => p[1]).find((n) => !premises.some((p) => p[3] === n))!;
  const bottom = premises.map((p) => p[3]).find((n) => !above.has(n))!;
  if ((m = /Who is the (\w+)\?$/.exec(q))) return MOST.has(m[1]) ? top : LEAST.has(m[1]) ? bottom : undefined;
  if ((m = /Is (\w+) \w+ than (\w+)\?$/.exec(q))) return m[1] === top && m[2] === bottom ? 'yes' : m[1] === bottom && m[2] === top ? 'no' : undefined;
  return undefined;
}

test('260 items, 65 per skill; steps: 1 for x + y and comparisons, else 2', () => {
  assert.is(rows.length, 260);
  assert.equal(countBy(rows, 'skill'), { word_problem: 65, expression: 65, comparison: 65, chain: 65 });
  for (const r of rows) {
    const one = r.tags.skill === 'comparison' || (r.tags.skill === 'expression' && !(r.question as string).includes(' minus '));
    assert.is(r.tags.steps, one ? 1 : 2, r.id);
  }
});

test('every answer is right, worked out from the question', () => {
  for (const r of rows) assert.is(solve(r.question as string), r.answer, `${r.id}: ${r.question}`);
});

test('questions are unique and occur nowhere in the training text', () => {
  const { index } = bundledCorpus();
  assert.is(new Set(rows.map((r) => r.question)).size, rows.length);
  for (const r of rows) assert.not.ok(occursInCorpus(index, r.question as string), `${r.id}: ${r.question}`);
});

test.run();
