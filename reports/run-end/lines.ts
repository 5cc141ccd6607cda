/**
 * The terminal rendering of a {@link RunEndSummary}: at most a screenful whatever the run's
 * size (issue 17: the default run printed ~700 lines after its progress bar). Rule ids,
 * variant ids and reasons may carry text from configs and model errors, so control
 * characters are made visible before they reach the terminal.
 */
import { escapeTerminal as visible } from '../escape.js';
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
    `rules: ${c.rulesPassed} passed${c.rulesUnderpowered > 0 ? ` (${c.rulesUnderpowered} underpowered)` : ''}, ${c.rulesFailed} failed, ${c.rulesSkipped} skipped; policy ${visible(s.gate.policySource)} sha256 ${s.gate.policySha256.slice(0, 12)}`,
  ];
  if (c.warnings > 0) lines.push(`warnings: ${c.warnings} variant(s) with a calibration warning (see ${s.paths.summary})`);
  if (s.failing.length > 0) {
    lines.push(`failing rules by variant (${s.failing.length} variant(s)):`);
    for (const v of s.failing.slice(0, maxVariants)) lines.push(variantLine(v, width));
    const more = s.failing.length - maxVariants;
    if (more > 0) lines.push(`  … and ${more} more variant(s) (see ${s.paths.gate})`);
  }
  lines.push(`report:  ${s.paths.report}`, `rules:   ${s.paths.gate} (every gate rule)`, `table:   ${s.paths.summary} (every suite × metric × variant)`, `record:  ${s.paths.record}`);
  // Paths come from --out; escaping twice changes nothing (an escape holds no control character).
  return lines.map(visible);
}

/**
 * `  teacher/rtn-w2-g32: 4 failed — rare-words/word_nll 0.6497 ≥ 0.25; … (+2 more)`: as
 * many of the variant's failing rules as fit in `width` characters, `+N` counting the rest.
 */
export function variantLine(v: FailingVariant, width = RUN_END_WIDTH): string {
  const head = visible(`  ${v.variantId}: ${v.rules.length} failed — `);
  const items = itemsOf(v);
  const total = v.rules.length;
  let line = '';
  for (let shown = total; shown >= 1; shown--) {
    const rest = total - shown;
    line = `${head}${render(items, shown)}${rest > 0 ? ` (+${rest} more)` : ''}`;
    if (line.length <= width) return line;
  }
  // Even one rule is too wide: cut it, keeping the count of the others.
  const tail = total > 1 ? ` (+${total - 1} more)` : '';
  return `${line.slice(0, Math.max(head.length, width - tail.length - 1))}…${tail}`;
}

/** A judged rule on its own (`qa/acc 0.61 < 0.7`), or the targets of unread rules that share a reason. */
interface Item {
  readonly reason?: string;
  readonly targets: string[];
}

/** Unread rules grouped by reason (`too few instances to trust: qa/acc, kc/contains`), at the place of the first. */
function itemsOf(v: FailingVariant): Item[] {
  const items: Item[] = [];
  const unread = new Map<string, Item>();
  for (const r of v.rules) {
    if (r.value !== null) {
      items.push({ targets: [`${r.target} ${r.short}`] });
      continue;
    }
    const group = unread.get(r.short);
    if (group) group.targets.push(r.target);
    else {
      const item = { reason: r.short, targets: [r.target] };
      unread.set(r.short, item);
      items.push(item);
    }
  }
  return items;
}

/** The first `shown` rules of `items`, made visible. */
function render(items: readonly Item[], shown: number): string {
  const parts: string[] = [];
  for (const item of items) {
    if (shown <= 0) break;
    const targets = item.targets.slice(0, shown);
    shown -= targets.length;
    parts.push(item.reason === undefined ? targets.join('; ') : `${item.reason}: ${targets.join(', ')}`);
  }
  return visible(parts.join('; '));
}
