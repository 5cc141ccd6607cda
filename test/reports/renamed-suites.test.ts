import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import type { RunRecord } from '../../core/run-record.js';
import { BUNDLED_SUITE_IDS } from '../../datasets/suites/build.js';
import { defaultPolicy, evaluateGate, loadPolicy, BUNDLED_POLICY_FILE, writeGateVerdict } from '../../reports/gate/index.js';
import { renderReport } from '../../reports/render.js';
import { abbreviateSuites } from '../../reports/summary/index.js';
import { copySuitesRenamed, writeSuiteRun } from './suite-run.js';

const test = suite('reports: suites selected by role, not id');

/** New ids that share no substring with the bundled ids or each other. */
const RENAME: Readonly<Record<string, string>> = {
  'knowledge-closed': 'capitals-quiz',
  'knowledge-open': 'capitals-with-notes',
  'rare-words': 'lexicon-tail',
  reasoning: 'sums-chains',
  fairness: 'dialect-probe',
  'fairness-people': 'pronoun-probe',
  'fairness-pairs': 'name-swaps',
  perplexity: 'heldout-prose',
};

let root = '';
const runs: { dir: string; record: RunRecord }[] = [];

test.before(async () => {
  root = mkdtempSync(join(tmpdir(), 'compbench-renamed-'));
  const bundled = BUNDLED_SUITE_IDS.map((id) => packagePath('suites', id));
  const renamed = copySuitesRenamed(bundled, RENAME, join(root, 'my-suites'));
  for (const [name, dirs] of [['bundled', bundled], ['renamed', renamed]] as const) {
    const dir = join(root, 'runs', name);
    const record = await writeSuiteRun(dirs, dir);
    const verdict = evaluateGate(record, defaultPolicy(record).policy, defaultPolicy(record).source);
    writeGateVerdict(join(dir, 'run.json'), verdict);
    await renderReport(dir, { pngs: false, now: () => new Date('2026-02-03T04:05:06.000Z'), changeLogDir: join(root, 'logs', name) });
    runs.push({ dir, record });
  }
});
test.after(() => rmSync(root, { recursive: true, force: true }));

/** The renamed run's text with every new suite id (and suite hash) put back to the bundled one. */
function unrenamed(text: string): string {
  let out = text;
  for (const [old, renamed] of Object.entries(RENAME)) out = out.split(renamed).join(old);
  runs[1].record.suites.forEach((s, i) => (out = out.split(s.hash).join(runs[0].record.suites[i].hash)));
  // The summary's column headers abbreviate the ids.
  const [shortA, shortB] = runs.map((r) => abbreviateSuites(r.record.suites.map((s) => s.id)));
  shortB.forEach((short, i) => (out = out.split(`>${short}<`).join(`>${shortA[i]}<`)));
  // The derived policy names the suites, so its sha256 differs with their ids.
  const [a, b] = runs.map((r) => (JSON.parse(readFileSync(join(r.dir, 'run.json'), 'utf8')) as RunRecord).gate!.policySha256);
  out = out.split(b).join(a).split(b.slice(0, 12)).join(a.slice(0, 12));
  // So does run.json's, which the change records cite.
  const [ra, rb] = runs.map((r) => createHash('sha256').update(readFileSync(join(r.dir, 'run.json'))).digest('hex'));
  out = out.split(rb).join(ra);
  return out.split(join(root, 'runs', 'renamed')).join(join(root, 'runs', 'bundled')).split(join(root, 'logs', 'renamed')).join(join(root, 'logs', 'bundled'));
}

test('copies of every bundled suite under new ids and folders give the same report, sections, figures and change records', () => {
  const [a, b] = runs.map((r) => join(r.dir, 'report'));
  const files = readdirSync(join(a, 'changes')).map((f) => join('changes', f));
  for (const rel of ['report.html', 'results.csv', ...files]) {
    const original = readFileSync(join(a, rel), 'utf8');
    assert.ok(existsSync(join(b, rel)), rel);
    const copy = unrenamed(readFileSync(join(b, rel), 'utf8'));
    if (copy !== original) {
      const at = [...original].findIndex((c, i) => copy[i] !== c);
      assert.unreachable(`${rel} differs at ${at}:\n  bundled: …${original.slice(at - 120, at + 120)}…\n  renamed: …${copy.slice(at - 120, at + 120)}…`);
    }
  }
});

test('every role section is filled: no "has no suite with role" warning, and charts for knowledge, rare words and fairness', () => {
  const html = readFileSync(join(runs[1].dir, 'report', 'report.html'), 'utf8');
  assert.not.match(html, /has no suite with role|This run has no|neither/);
  for (const id of ['chart-knowledge', 'chart-rare-words', 'chart-fairness-dialect-probe', 'chart-fairness-pronoun-probe', 'chart-fairness-name-swaps']) {
    assert.ok(html.includes(`"${id}"`), id);
  }
  assert.ok(html.includes('capitals-quiz'));
});

test('the default gate on user suites with measurement off names only those suites', () => {
  const gate = runs[1].record.gate ?? JSON.parse(readFileSync(join(runs[1].dir, 'run.json'), 'utf8')).gate;
  assert.ok(gate.rules.length > 0);
  const ids = new Set(Object.values(RENAME));
  for (const r of gate.rules) {
    assert.ok(r.suiteId !== undefined && ids.has(r.suiteId), `${r.rule} names ${r.suiteId ?? 'no suite'}`);
    assert.not.match(r.reason, /not in the run|no measurements/);
  }
  assert.is(gate.policySource, "default (derived from the run's suite roles)");
  assert.ok(gate.rules.some((r: { rule: string }) => r.rule === 'dialect-probe.dialect-noninferiority'), 'the worst-slice rule of the fairness role');
  assert.ok(gate.rules.some((r: { rule: string }) => r.rule === 'lexicon-tail.noninferiority'), 'the word-NLL rule of the rare-words role');
});

test('on the bundled suites with measurement on, the derived default equals reports/gate/bundled-policy.json', async () => {
  const record = await writeSuiteRun(BUNDLED_SUITE_IDS.map((id) => packagePath('suites', id)), join(root, 'runs', 'measured'), { measured: true });
  const derived = defaultPolicy(record).policy;
  const pinned = loadPolicy(BUNDLED_POLICY_FILE).policy;
  assert.equal(derived.rules, pinned.rules);
  assert.is(derived.minN, pinned.minN);
  assert.is(derived.simulated, pinned.simulated);
});

test.run();
