import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunRecord } from '../../../core/run-record.js';
import { JUNIT_ERRORS_SUITE, junitXml, ruleCaseName } from '../../../reports/ci/junit.js';
import { HOSTILE, HOSTILE_CELL, HOSTILE_RULES, HOSTILE_VARIANT, fixtureRecord, hostileRecord } from './records.js';
import { parseXmlStrict, type XmlElement } from './xml-check.js';

const test = suite('reports/ci/junit');

const num = (e: XmlElement, a: string): number => Number(e.attrs[a]);
const outcome = (c: XmlElement): string => c.children[0]?.name ?? 'pass';
/** What XML 1.0 lets through: the hostile strings minus the control character. */
const visible = (s: string): string => s.replace(/\u0001/gu, '');

test('the strict checker rejects what is not well-formed', () => {
  for (const bad of ['<a>&</a>', '<a x="<"/>', '<a>\u0001</a>', '<a><b></a></b>', '<a x="1" x="2"/>', '<a>&foo;</a>', '<a>&#1;</a>', '<a/><b/>', '<a>]]></a>', '<a x=1/>']) {
    assert.throws(() => parseXmlStrict(bad), undefined, bad);
  }
  assert.equal(parseXmlStrict('<?xml version="1.0" encoding="UTF-8"?>\n<a x="&lt;&#10;">t&amp;<b/></a>\n').attrs, { x: '<\n' });
});

test('one testsuite per variant with the rules as testcases; counts equal the record', () => {
  const record = hostileRecord();
  const root = parseXmlStrict(junitXml(record));
  assert.is(root.name, 'testsuites');
  const rules = record.gate?.rules ?? [];
  const variants = [...new Set(rules.map((r) => r.variantId))];
  const suites = root.children.filter((s) => s.attrs.name !== JUNIT_ERRORS_SUITE);
  assert.equal(suites.map((s) => s.attrs.name), variants.map(visible));
  for (const s of suites) {
    const mine = rules.filter((r) => visible(r.variantId) === s.attrs.name);
    assert.is(num(s, 'tests'), mine.length);
    assert.is(num(s, 'failures'), mine.filter((r) => r.verdict === 'fail').length, s.attrs.name);
    assert.is(num(s, 'skipped'), mine.filter((r) => r.verdict === 'skip').length, s.attrs.name);
    assert.is(num(s, 'errors'), 0);
    assert.equal(s.children.map(outcome), mine.map((r) => ({ pass: 'pass', fail: 'failure', skip: 'skipped' })[r.verdict]));
    assert.equal(s.children.map((c) => c.attrs.name), mine.map((r) => visible(ruleCaseName(r))));
    for (const c of s.children) assert.is(c.attrs.time, '0');
  }
  const errored = root.children.find((s) => s.attrs.name === JUNIT_ERRORS_SUITE);
  const erroredCells = record.cells.filter((c) => c.state === 'errored');
  assert.ok(erroredCells.length >= 2, 'the fixture errored cell and the hostile one');
  assert.is(num(errored as XmlElement, 'errors'), erroredCells.length);
  assert.ok(errored?.children.every((c) => outcome(c) === 'error'));
  assert.is(num(root, 'tests'), rules.length + erroredCells.length);
  assert.is(num(root, 'failures'), rules.filter((r) => r.verdict === 'fail').length);
  assert.is(num(root, 'skipped'), rules.filter((r) => r.verdict === 'skip').length);
  assert.is(num(root, 'errors'), erroredCells.length);
});

test('hostile ids, reasons and errors round-trip, minus the control character', () => {
  const root = parseXmlStrict(junitXml(hostileRecord()));
  const hostileSuite = root.children.find((s) => s.attrs.name === visible(HOSTILE_VARIANT));
  assert.ok(hostileSuite);
  const failed = hostileSuite?.children.find((c) => outcome(c) === 'failure');
  const rule = HOSTILE_RULES[1];
  assert.is(failed?.attrs.classname, visible(HOSTILE_VARIANT));
  assert.is(failed?.attrs.name, visible(`r${HOSTILE} [s${HOSTILE} / contains / group=${HOSTILE}]`));
  assert.is(failed?.children[0].attrs.message, visible(`below ${HOSTILE}`), 'the message is the first line');
  assert.is(failed?.children[0].text, visible(`${rule.reason}\nvalue 0.1, bound 0.5`));
  const error = root.children.find((s) => s.attrs.name === JUNIT_ERRORS_SUITE)?.children.find((c) => c.attrs.classname === visible(HOSTILE_VARIANT));
  assert.is(error?.attrs.name, visible(`cell s${HOSTILE}`));
  assert.is(error?.children[0].text, visible(HOSTILE_CELL.state === 'errored' ? HOSTILE_CELL.error : ''));
  assert.not.match(junitXml(hostileRecord()), '<script>');
});

test('a complete run has no error suite; a run without a gate says so as a skipped case', () => {
  const base = fixtureRecord();
  const complete: RunRecord = { ...base, cells: base.cells.filter((c) => c.state === 'ok'), measurements: [], complete: true };
  assert.not.ok(parseXmlStrict(junitXml(complete)).children.some((s) => s.attrs.name === JUNIT_ERRORS_SUITE));
  const { gate: _gate, ...noGate } = complete;
  const root = parseXmlStrict(junitXml(noGate));
  assert.is(root.children.length, 1);
  assert.is(outcome(root.children[0].children[0]), 'skipped');
  assert.is(num(root, 'failures') + num(root, 'errors'), 0);
});

test('an errored measurement and an incomplete run without errored cells are errors', () => {
  const base = fixtureRecord();
  const ok = base.cells.filter((c) => c.state === 'ok');
  const lost: RunRecord = { ...base, cells: ok, measurements: [{ state: 'errored', variantId: 'teacher', error: 'OOM' }], complete: true };
  const errs = parseXmlStrict(junitXml(lost)).children.find((s) => s.attrs.name === JUNIT_ERRORS_SUITE);
  assert.equal(errs?.children.map((c) => [c.attrs.classname, c.attrs.name, c.children[0].text]), [['teacher', 'measurement', 'OOM']]);
  const marked: RunRecord = { ...base, cells: ok, measurements: [], complete: false };
  assert.is(num(parseXmlStrict(junitXml(marked)), 'errors'), 1);
});

test.run();
