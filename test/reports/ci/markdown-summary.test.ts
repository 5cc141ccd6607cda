import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { GateRuleResult, RunRecord } from '../../../core/run-record.js';
import { GITHUB_COMMENT_MAX_CHARS, TRUNCATION_NOTICE, markdownSummary } from '../../../reports/ci/markdown-summary.js';
import { HOSTILE, HOSTILE_VARIANT, fixtureRecord, hostileRecord } from './records.js';

const test = suite('reports/ci/markdown-summary');

/** `|` that Markdown reads as a cell separator: not preceded by an escaping backslash. */
function separators(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') n++;
  }
  return n;
}

function tableLines(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('|'));
}

test('the verdict line, rule counts and failing rules grouped by variant', () => {
  const md = markdownSummary(hostileRecord());
  const rules = hostileRecord().gate?.rules ?? [];
  const failed = rules.filter((r) => r.verdict === 'fail').length;
  assert.match(md, `## ❌ Gate: FAIL: ${failed} of ${rules.length} rules failed`);
  assert.match(md, `Rules: ${rules.filter((r) => r.verdict === 'pass').length} passed, ${failed} failed, 1 skipped.`);
  assert.match(md, '<details><summary>teacher/rtn-w3-g128: 1 failed</summary>');
  assert.match(md, '### ⚠️ Incomplete run: 2 of');
  const base = fixtureRecord();
  const passing: RunRecord = { ...base, gate: { ...(base.gate as NonNullable<RunRecord['gate']>), verdict: 'pass', rules: [] } };
  assert.match(markdownSummary(passing), '## ✅ Gate: PASS (0 rules)');
  assert.not.match(markdownSummary(passing), 'Failing rules');
  const { gate: _gate, ...noGate } = base;
  assert.match(markdownSummary(noGate), 'No gate verdict');
});

test('the variant table: one row per variant, Δ with CI, speed, failed rules', () => {
  const record = fixtureRecord();
  const rows = tableLines(markdownSummary(record));
  assert.is(rows.length, record.variants.length + 2);
  assert.match(rows[0], 'Δ knowledge-closed contains (95% CI) MDE');
  const w3 = rows.find((r) => r.startsWith('| teacher/rtn-w3-g128 |')) ?? '';
  assert.match(w3, /\| w3 \| 4\.00 MB \| teacher \| −\d+\.\d pp \(−\d+\.\d, [−+]?\d+\.\d\) MDE \d+\.\d \|/u);
  // The MDE is the one run.json records for that comparison, in points.
  const w3Cell = record.cells.find((c) => c.variantId === 'teacher/rtn-w3-g128' && c.suiteId === 'knowledge-closed');
  const power = (w3Cell as { vsBaseline?: { metrics: Record<string, { power?: { mde: number } }> } } | undefined)?.vsBaseline?.metrics.contains.power;
  assert.ok(power, 'the fixture comparison records its power');
  assert.match(w3, `MDE ${(power!.mde * 100).toFixed(1)} |`);
  assert.match(w3, 'n/a (simulated)');
  assert.match(w3, / 1 \|$/u);
  assert.match(rows.find((r) => r.startsWith('| teacher/gptq-w4-g128 |')) ?? '', '| errored |');
  assert.match(rows.find((r) => r.startsWith('| teacher/rtn-w4-g128 |')) ?? '', / ms \| \d+\.\d \| 0 \|$/u);
});

test('hostile ids and reasons do not break the table or inject markup', () => {
  const record = hostileRecord();
  const hostile: RunRecord = { ...record, variants: [...record.variants, { ...record.variants[1], id: HOSTILE_VARIANT }] };
  const md = markdownSummary(hostile);
  const rows = tableLines(md);
  assert.ok(rows.some((r) => r.includes('v&lt;script&gt;')));
  for (const r of rows) assert.is(separators(r), separators(rows[0]), r);
  assert.not.match(md, '<script');
  assert.not.match(md, /[^\\]`x/u);
  assert.match(md, '<summary>v&lt;script&gt;&amp;&quot;&#39;');
});

test('a long summary is cut at the cap, says so and leaves no <details> open', () => {
  const base = fixtureRecord();
  const rules: GateRuleResult[] = Array.from({ length: 3000 }, (_, i) => ({
    rule: `r${i}`, kind: 'floor', variantId: base.variants[i % base.variants.length].id, suiteId: 'perplexity', metric: 'perplexity', value: 1, bound: 0, verdict: 'fail', reason: `${HOSTILE} `.repeat(4),
  }));
  const big: RunRecord = { ...base, gate: { ...(base.gate as NonNullable<RunRecord['gate']>), rules } };
  for (const maxChars of [GITHUB_COMMENT_MAX_CHARS, 4000]) {
    const md = markdownSummary(big, { maxChars });
    assert.ok(md.length <= maxChars, `${md.length} > ${maxChars}`);
    assert.ok(md.length > maxChars - 400, 'fills the cap');
    assert.ok(md.endsWith(`${TRUNCATION_NOTICE}\n`));
    assert.is(md.split('<details>').length, md.split('</details>').length);
  }
  assert.not.match(markdownSummary(fixtureRecord()), TRUNCATION_NOTICE);
});

test.run();
