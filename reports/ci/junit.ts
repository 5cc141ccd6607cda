import type { GateRuleResult, RunRecord } from '../../core/run-record.js';
import { escapeXml, escapeXmlAttribute } from '../escape.js';
import { orderedVariants } from '../record-view.js';

/** One `<testcase>`: what CI shows as one line, with its outcome. */
interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: { readonly kind: 'pass' } | { readonly kind: 'failure' | 'skipped' | 'error'; readonly message: string; readonly type: string; readonly text: string };
}

/** One `<testsuite>`. */
interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

/** Testsuite name of the run's errored cells and measurements. */
export const JUNIT_ERRORS_SUITE = 'compbench.errored';

/** A message attribute stays one readable line; the element's text keeps the whole of it. */
function messageOf(text: string): string {
  const line = text.split(/\r\n?|\n/u)[0] ?? '';
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

/** `rule [suite / metric / slice]`: unique per variant, and it says what was tested. */
export function ruleCaseName(r: GateRuleResult): string {
  const target = [r.suiteId, r.metric, r.slice].filter((x) => x !== undefined && x !== '').join(' / ');
  return target === '' ? r.rule : `${r.rule} [${target}]`;
}

function ruleCase(r: GateRuleResult): JunitCase {
  const base = { classname: r.variantId, name: ruleCaseName(r) };
  if (r.verdict === 'pass') return { ...base, outcome: { kind: 'pass' } };
  const kind = r.verdict === 'fail' ? 'failure' : 'skipped';
  const value = r.value === null ? 'missing (fail-closed)' : String(r.value);
  return { ...base, outcome: { kind, type: r.kind, message: messageOf(r.reason), text: `${r.reason}\nvalue ${value}, bound ${r.bound}` } };
}

/** The gate's rules as one suite per variant, in the report's variant order (then any variant the record does not list). */
function gateSuites(record: RunRecord): JunitSuite[] {
  const gate = record.gate;
  if (!gate) {
    const message = 'no gate verdict in this run record (the run did not apply a gate policy)';
    return [{ name: 'compbench.gate', cases: [{ classname: record.runId, name: 'gate verdict', outcome: { kind: 'skipped', type: 'no-gate', message, text: message } }] }];
  }
  const ids = [...new Set([...orderedVariants(record).map((v) => v.id), ...gate.rules.map((r) => r.variantId)])];
  return ids
    .map((id) => ({ name: id, cases: gate.rules.filter((r) => r.variantId === id).map(ruleCase) }))
    .filter((s) => s.cases.length > 0);
}

/** An incomplete run is red: each errored cell and each errored measurement is an `<error>`. */
function erroredSuite(record: RunRecord): JunitSuite | undefined {
  const cases: JunitCase[] = [];
  for (const c of record.cells) {
    if (c.state !== 'errored') continue;
    cases.push({ classname: c.variantId, name: `cell ${c.suiteId}`, outcome: { kind: 'error', type: 'errored-cell', message: messageOf(c.error), text: c.error } });
  }
  for (const m of record.measurements ?? []) {
    if (m.state !== 'errored') continue;
    cases.push({ classname: m.variantId, name: 'measurement', outcome: { kind: 'error', type: 'errored-measurement', message: messageOf(m.error), text: m.error } });
  }
  if (cases.length === 0 && !record.complete) {
    const message = 'the run record is marked incomplete but lists no errored cell';
    cases.push({ classname: record.runId, name: 'run complete', outcome: { kind: 'error', type: 'incomplete-run', message, text: message } });
  }
  return cases.length === 0 ? undefined : { name: JUNIT_ERRORS_SUITE, cases };
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countsOf(cases: readonly JunitCase[]): Counts {
  const n = (k: string): number => cases.filter((c) => c.outcome.kind === k).length;
  return { tests: cases.length, failures: n('failure'), errors: n('error'), skipped: n('skipped') };
}

function countAttributes(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0"`;
}

function caseXml(c: JunitCase): string {
  const open = `    <testcase classname="${escapeXmlAttribute(c.classname)}" name="${escapeXmlAttribute(c.name)}" time="0"`;
  const o = c.outcome;
  if (o.kind === 'pass') return `${open}/>`;
  const attrs = `message="${escapeXmlAttribute(o.message)}" type="${escapeXmlAttribute(o.type)}"`;
  const inner = o.kind === 'skipped' ? `<skipped ${attrs}/>` : `<${o.kind} ${attrs}>${escapeXml(o.text)}</${o.kind}>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

/**
 * JUnit XML of a run record's gate: one `<testsuite>` per variant with one `<testcase>`
 * per rule (failed rules carry `<failure>`, skipped ones `<skipped>`), and one more suite
 * of `<error>`s for errored cells and measurements, so CI shows an incomplete run as red.
 * A record without a gate verdict gives one skipped case saying so. Every id, reason and
 * error passes through {@link escapeXmlAttribute} or {@link escapeXml}.
 */
export function junitXml(record: RunRecord): string {
  const errored = erroredSuite(record);
  const suites = [...gateSuites(record), ...(errored ? [errored] : [])];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const body = suites.map((s) => {
    const c = countsOf(s.cases);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
    return [`  <testsuite name="${escapeXmlAttribute(s.name)}" ${countAttributes(c)}>`, ...s.cases.map(caseXml), '  </testsuite>'].join('\n');
  });
  const open = `<testsuites name="${escapeXmlAttribute(`compbench ${record.runId}`)}" ${countAttributes(total)}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', open, ...body, '</testsuites>', ''].join('\n');
}
