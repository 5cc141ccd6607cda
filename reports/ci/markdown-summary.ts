import type { GateRuleResult, RunRecord } from '../../core/run-record.js';
import { escapeHtml, escapeMarkdown, escapeMarkdownLine } from '../escape.js';
import { orderedVariants } from '../record-view.js';
import { underpoweredPasses } from '../gate/format.js';
import { ruleCaseName } from './junit.js';
import { variantTableLines } from './variant-table.js';

/** GitHub's limit on a comment body, in characters (a job summary allows more). */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

/** The line that ends a summary cut to fit. */
export const TRUNCATION_NOTICE = '_Summary truncated, see report.html for every rule._';

/** Settings of {@link markdownSummary}. */
export interface MarkdownSummaryOptions {
  /** Longest summary, in UTF-16 code units (default {@link GITHUB_COMMENT_MAX_CHARS}). */
  readonly maxChars?: number;
}

function verdictLines(record: RunRecord): string[] {
  const gate = record.gate;
  if (!gate) return ['## ⚪ Gate: none', '', 'No gate verdict in this run record (the run did not apply a gate policy).'];
  const n = (v: GateRuleResult['verdict']): number => gate.rules.filter((r) => r.verdict === v).length;
  const weak = underpoweredPasses(gate);
  const passed = weak > 0 ? `${n('pass')} passed (${weak} underpowered: the tolerance is below the minimum detectable effect)` : `${n('pass')} passed`;
  const head = gate.verdict === 'pass' ? `## ✅ Gate: PASS (${gate.rules.length} rules)` : `## ❌ Gate: FAIL: ${n('fail')} of ${gate.rules.length} rules failed`;
  return [
    head,
    '',
    escapeMarkdownLine(`Run ${record.runId}, created ${record.createdAt}; ${record.variants.length} variants × ${record.suites.length} suites.`),
    '',
    `Rules: ${passed}, ${n('fail')} failed, ${n('skip')} skipped. ${escapeMarkdown(`Policy: ${gate.policySource}, sha256 ${gate.policySha256}.`)}`,
  ];
}

function incompleteLines(record: RunRecord): string[] {
  const errored = record.cells.filter((c) => c.state === 'errored');
  const lostMeasurements = (record.measurements ?? []).filter((m) => m.state === 'errored');
  if (record.complete && errored.length === 0 && lostMeasurements.length === 0) return [];
  return [
    '',
    `### ⚠️ Incomplete run: ${errored.length} of ${record.cells.length} cells errored${lostMeasurements.length > 0 ? `, ${lostMeasurements.length} measurements errored` : ''}`,
    '',
    ...errored.map((c) => `- ${escapeMarkdownLine(`${c.variantId} × ${c.suiteId}: ${c.error}`)}`),
    ...lostMeasurements.map((m) => `- ${escapeMarkdownLine(`${m.variantId} measurement: ${m.error}`)}`),
  ];
}

/** Failing rules, one collapsible group per variant (the `<summary>` line is HTML, the list inside is Markdown). */
function failingLines(record: RunRecord): string[] {
  const failing = record.gate?.rules.filter((r) => r.verdict === 'fail') ?? [];
  if (failing.length === 0) return [];
  const ids = [...new Set([...orderedVariants(record).map((v) => v.id), ...failing.map((r) => r.variantId)])].filter((id) => failing.some((r) => r.variantId === id));
  return ['', '### Failing rules', ...ids.flatMap((id) => {
    const rules = failing.filter((r) => r.variantId === id);
    return [
      '',
      `<details><summary>${escapeHtml(id)}: ${rules.length} failed</summary>`,
      '',
      ...rules.map((r) => `- ${escapeMarkdownLine(`${ruleCaseName(r)}: ${r.reason}`)}`),
      '',
      '</details>',
    ];
  })];
}

/** Passes a suite this small could not have failed (docs/power.md), in one collapsible list. */
function underpoweredLines(record: RunRecord): string[] {
  const weak = record.gate?.rules.filter((r) => r.verdict === 'pass' && r.power?.status === 'underpowered') ?? [];
  if (weak.length === 0) return [];
  return [
    '',
    '### Underpowered passes',
    '',
    `<details><summary>${weak.length} rules passed with a tolerance below the minimum detectable effect (α 0.05, power 0.8); requirePower: true fails them</summary>`,
    '',
    ...weak.map((r) => `- ${escapeMarkdownLine(`${ruleCaseName(r)}: ${r.reason}`)}`),
    '',
    '</details>',
  ];
}

/** Keeps whole lines while they fit, closes a `<details>` left open and ends with {@link TRUNCATION_NOTICE}. */
function capLines(lines: readonly string[], maxChars: number): string {
  const full = `${lines.join('\n')}\n`;
  if (full.length <= maxChars) return full;
  const closing = '\n</details>';
  const tail = `\n\n${TRUNCATION_NOTICE}\n`;
  const kept: string[] = [];
  let length = 0;
  let openDetails = false;
  for (const line of lines) {
    const next = length + line.length + 1;
    if (next + closing.length + tail.length > maxChars) break;
    kept.push(line);
    length = next;
    if (line.startsWith('<details>')) openDetails = true;
    if (line === '</details>') openDetails = false;
  }
  return `${kept.join('\n')}${openDetails ? closing : ''}${tail}`;
}

/**
 * A Markdown summary of a run record for a GitHub job summary or pull-request comment: the
 * gate verdict and rule counts, errored cells of an incomplete run, a table of variants
 * (size, paired Δs with 95% CIs on each suite's primary metric, decode speed, failed
 * rules) and the failing rules grouped by variant, cut to `maxChars` with a line saying
 * so. Record text passes through the escapers of reports/escape.ts.
 */
export function markdownSummary(record: RunRecord, options: MarkdownSummaryOptions = {}): string {
  const lines = [
    `# compbench: ${escapeMarkdown(record.runId)}`,
    '',
    ...verdictLines(record),
    ...incompleteLines(record),
    '',
    '### Variants',
    '',
    ...variantTableLines(record),
    ...failingLines(record),
    ...underpoweredLines(record),
  ];
  return capLines(lines, options.maxChars ?? GITHUB_COMMENT_MAX_CHARS);
}
