/**
 * The terminal rendering of a {@link RunEndSummary}: at most a screenful whatever the run's
 * size (issue 17: the default run printed ~700 lines after its progress bar). Rule ids,
 * variant ids and reasons may carry text from configs and model errors, so control
 * characters are made visible before they reach the terminal.
 */
import type { FailingVariant, RunEndSummary } from './summary.js';

/** Widest line printed (a failing variant's rules are cut to fit, with `(+N more)`). */
export const RUN_END_WIDTH = 160;

/** Most failing variants listed one per line; the rest are counted. */
export const RUN_END_MAX_VARIANTS = 20;

/** `gate: FAIL — exit 1: the gate failed` (or `run: INCOMPLETE — …`): the one line `--quiet` keeps with the report path. */
export function verdictLine(s: RunEndSummary): string {
  const head = s.verdict === 'incomplete' ? `run: INCOMPLETE (gate: ${s.gate.verdict.toUpperCase()})` : `gate: ${s.verdict.toUpperCase()}`;
  const c = s.counts;
  return visible(`${head} — ${s.meaning} (${c.rulesFailed} of ${c.rulesPassed + c.rulesFailed + c.rulesSkipped} rules failed)`);
}

/** Every line `compbench run` prints after its progress bar, besides history and report timing. */
export function runEndLines(s: RunEndSummary, width = RUN_END_WIDTH, maxVariants = RUN_END_MAX_VARIANTS): string[] {
  const c = s.counts;
  const lines = [
    verdictLine(s),
    `${c.variants} variants × ${c.suites} suites = ${c.cells} cells (${c.cellsErrored} failed); ${c.instancesComputed} instances computed, ${c.instancesCached} from cache`,
    `rules: ${c.rulesPassed} passed, ${c.rulesFailed} failed, ${c.rulesSkipped} skipped; policy ${visible(s.gate.policySource)} sha256 ${s.gate.policySha256.slice(0, 12)}`,
  ];
  if (c.warnings > 0) lines.push(`warnings: ${c.warnings} variant(s) with a calibration warning (see ${s.paths.summary})`);
  if (s.failing.length > 0) {
    lines.push(`failing rules by variant (${s.failing.length} variant(s)):`);
    for (const v of s.failing.slice(0, maxVariants)) lines.push(variantLine(v, width));
    const more = s.failing.length - maxVariants;
    if (more > 0) lines.push(`  … and ${more} more variant(s) (see ${s.paths.gate})`);
  }
  lines.push(`report:  ${s.paths.report}`, `rules:   ${s.paths.gate} (every gate rule)`, `table:   ${s.paths.summary} (every suite × metric × variant)`, `record:  ${s.paths.record}`);
  return lines;
}

/** `  teacher/rtn-w2-g32: 4 failed — rare-words/word_nll 0.6497 ≥ 0.25; … (+2 more)`, at most `width` characters; `+N` counts rules. */
export function variantLine(v: FailingVariant, width = RUN_END_WIDTH): string {
  const head = visible(`  ${v.variantId}: ${v.rules.length} failed — `);
  const items = itemsOf(v);
  const more = (shown: number): string => {
    const rest = items.slice(shown).reduce((n, item) => n + item.rules, 0);
    return rest > 0 ? ` (+${rest} more)` : '';
  };
  for (let shown = items.length; shown >= 1; shown--) {
    const line = `${head}${items.slice(0, shown).map((item) => item.text).join('; ')}${more(shown)}`;
    if (line.length <= width) return line;
  }
  // Even one item is too wide: cut it, keeping the count of the others.
  const tail = more(1);
  return `${`${head}${items[0].text}`.slice(0, Math.max(head.length, width - tail.length - 1))}…${tail}`;
}

/** Judged rules one by one (`qa/acc 0.61 < 0.7`); unread ones grouped by reason (`too few instances to trust: qa/acc, kc/contains`). */
function itemsOf(v: FailingVariant): { text: string; rules: number }[] {
  const items: { text: string; rules: number; targets?: string[] }[] = [];
  const unread = new Map<string, { text: string; rules: number; targets?: string[] }>();
  for (const r of v.rules) {
    const group = r.value === null ? unread.get(r.short) : undefined;
    if (group) {
      group.rules += 1;
      group.targets!.push(r.target);
    } else if (r.value === null) {
      const item = { text: '', rules: 1, targets: [r.target] };
      unread.set(r.short, item);
      items.push(item);
    } else items.push({ text: `${r.target} ${r.short}`, rules: 1 });
  }
  for (const [short, item] of unread) item.text = `${short}: ${item.targets!.join(', ')}`;
  return items.map((item) => ({ text: visible(item.text), rules: item.rules }));
}

/** Control characters (C0, DEL, C1) as `\uXXXX`, so untrusted text cannot move the cursor or recolour the terminal. */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
