import { numCell, para, table, type Block } from '../document.js';
import type { InstanceLine } from '../load-run.js';
import { cellOf, comparisonOf, orderedVariants, parentOf, primaryMetric } from '../record-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/** Examples shown per variant × suite. */
export const FLIP_EXAMPLES = 5;

/** What the model answered: generated text, or the chosen option of a multiple-choice item. */
export function answerOf(line: InstanceLine | undefined): string {
  if (!line || line.state !== 'scored') return line?.error ? `errored: ${line.error}` : 'n/a';
  if (line.answer !== undefined) return line.answer;
  const o = line.outcome as { kind?: string; logprobs?: number[]; choices?: string[]; text?: string } | undefined;
  if (o?.kind === 'multiple_choice' && o.logprobs && o.choices) {
    const best = o.logprobs.reduce((bi, x, i, a) => (x > a[bi] ? i : bi), 0);
    return o.choices[best] ?? 'n/a';
  }
  return typeof o?.text === 'string' ? o.text : 'n/a';
}

/** The accepted answer(s): aliases of a generate item, the gold option of a multiple-choice item. */
export function expectedOf(line: InstanceLine | undefined): string {
  const o = line?.outcome as { kind?: string; answers?: string[]; choices?: string[]; gold?: number; targets?: { word: string }[] } | undefined;
  if (o?.answers) return o.answers.join(' | ');
  if (o?.choices && o.gold !== undefined) return o.choices[o.gold] ?? 'n/a';
  if (o?.targets) return o.targets.map((t) => t.word).join(' | ');
  return 'n/a';
}

/** Items right in the baseline and wrong in the variant (same instance, same content), in file order. */
export function rightToWrong(instances: readonly InstanceLine[], baseline: string, variant: string, suiteId: string, metric: string): { base: InstanceLine; variant: InstanceLine }[] {
  const byId = new Map<string, InstanceLine>();
  for (const line of instances) if (line.variantId === baseline && line.suiteId === suiteId && line.state === 'scored') byId.set(line.instanceId, line);
  const out: { base: InstanceLine; variant: InstanceLine }[] = [];
  for (const line of instances) {
    if (line.variantId !== variant || line.suiteId !== suiteId || line.state !== 'scored') continue;
    const base = byId.get(line.instanceId);
    if (!base || base.instanceHash !== line.instanceHash) continue;
    if ((base.scores?.[metric] ?? 0) >= 0.5 && (line.scores?.[metric] ?? 0) < 0.5) out.push({ base, variant: line });
  }
  return out;
}

/** Flip counts per variant × suite (from the record) with example items (from instances.jsonl). */
export function flipsSection({ record, instances }: ReportInput): BuiltSection {
  const blocks: Block[] = [
    para('Flips (Dutta et al. 2024): items the baseline (the variant\'s parent) got right and the variant got wrong (right→wrong) and the reverse, with McNemar\'s exact p. Equal accuracy can hide many flips.'),
  ];
  const countRows: (string | ReturnType<typeof numCell>)[][] = [];
  const exampleRows: string[][] = [];
  for (const v of orderedVariants(record)) {
    const parent = parentOf(record, v.id);
    if (parent === undefined) continue;
    for (const suite of record.suites) {
      const metric = primaryMetric(record, suite.id);
      if (!metric) continue;
      const flips = comparisonOf(cellOf(record, v.id, suite.id), metric)?.flips;
      if (!flips) continue;
      countRows.push([
        v.id,
        parent,
        suite.id,
        metric,
        numCell(String(flips.rightToWrong), flips.rightToWrong),
        numCell(String(flips.wrongToRight), flips.wrongToRight),
        numCell(`${(flips.flipRate * 100).toFixed(1)}%`, flips.flipRate),
        numCell(flips.clustered ? `${flips.clustered.p.toPrecision(3)} over ${flips.clustered.groups} groups (per instance ${flips.mcnemarP.toPrecision(3)})` : flips.mcnemarP.toPrecision(3), flips.clustered?.p ?? flips.mcnemarP),
        numCell(String(flips.n), flips.n),
      ]);
      for (const { base, variant } of rightToWrong(instances, parent, v.id, suite.id, metric).slice(0, FLIP_EXAMPLES)) {
        exampleRows.push([v.id, suite.id, variant.instanceId, variant.prompt ?? base.prompt ?? '(prompt not recorded)', expectedOf(base), answerOf(base), answerOf(variant)]);
      }
    }
  }
  if (countRows.length === 0) blocks.push(para('No 0/1 metric was compared against the baseline: no flips to report.'));
  else blocks.push(table({ id: 'flips-counts', columns: ['variant', 'vs', 'suite', 'metric', 'right→wrong', 'wrong→right', 'flip rate', 'McNemar p (over groups where the suite has them)', 'n'], rows: countRows }));
  if (instances.length === 0) blocks.push(para('instances.jsonl is missing: no example items.', 'warn'));
  else if (exampleRows.length === 0) blocks.push(para('No item was right in the baseline and wrong in a variant.'));
  else blocks.push(table({ id: 'flips-examples', filterable: true, caption: `Up to ${FLIP_EXAMPLES} right→wrong items per variant × suite`, columns: ['variant', 'suite', 'item', 'prompt', 'expected', 'baseline answer', 'variant answer'], rows: exampleRows }));
  return { section: { id: 'flips', title: 'Flips and example items', blocks }, charts: [] };
}
