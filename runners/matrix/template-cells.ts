/**
 * Prompt sensitivity in the matrix (docs/templates.md): which cells are scored again
 * under a suite's `templateVariants`, and the run record's `templateSensitivity` from
 * them. By default only the parents of comparisons are (the noise floor of every Δ
 * costs one extra cell per parent × suite × template); `--all-templates` scores every
 * variant, so each Δ is also read under every template.
 */
import type { CellRecord, TemplateCellRecord, TemplateSensitivityRecord } from '../../core/run-record.js';
import { templateSpread } from '../../core/stats/index.js';
import { PRIMARY_TEMPLATE_ID, suiteUnderTemplate, templateIds, type LoadedSuite } from '../../suites/index.js';
import { assembleCells, type CellOutcome, type InstanceLine } from './assemble.js';

/** One cell scored under a non-primary template. */
export interface TemplateCell {
  readonly variantId: string;
  /** The suite under the template (its own hash: its own result-cache file). */
  readonly suite: LoadedSuite;
  readonly template: string;
}

/** A variant as template planning needs it. */
export interface TemplateVariantInfo {
  readonly id: string;
  readonly comparedTo?: string;
}

/** The cells to score under non-primary templates, in variant, suite, template order. */
export function planTemplateCells(
  variants: readonly TemplateVariantInfo[],
  suitesOf: (variantId: string) => readonly LoadedSuite[],
  allTemplates: boolean,
): TemplateCell[] {
  const parents = new Set(variants.flatMap((v) => (v.comparedTo !== undefined && v.comparedTo !== v.id ? [v.comparedTo] : [])));
  const out: TemplateCell[] = [];
  for (const v of variants) {
    if (!allTemplates && !parents.has(v.id)) continue;
    for (const suite of suitesOf(v.id)) {
      for (const template of templateIds(suite).slice(1)) out.push({ variantId: v.id, suite: suiteUnderTemplate(suite, template), template });
    }
  }
  return out;
}

/**
 * The `templateSensitivity` section and its instances.jsonl lines (each carrying its
 * `template`): per template, cells with Δ against the parent under that same template;
 * per variant scored under the templates, each metric's spread (primary value from
 * `primaryCells`). Undefined when no suite has variants.
 */
export function assembleTemplateCells(
  plans: readonly TemplateCell[],
  suites: readonly LoadedSuite[],
  variantOrder: readonly string[],
  comparedTo: (variantId: string) => string | undefined,
  outcome: (variantId: string, suiteId: string, template: string) => CellOutcome,
  primaryCells: readonly CellRecord[],
  allTemplates: boolean,
  seed: number,
): { record: TemplateSensitivityRecord; lines: InstanceLine[] } | undefined {
  const withVariants = suites.filter((s) => (s.spec.templateVariants?.length ?? 0) > 0);
  if (withVariants.length === 0) return undefined;
  const cells: TemplateCellRecord[] = [];
  const lines: InstanceLine[] = [];
  for (const template of [...new Set(withVariants.flatMap((s) => templateIds(s).slice(1)))]) {
    const mine = plans.filter((p) => p.template === template);
    const scored = new Set(mine.map((p) => `${p.variantId}\u0000${p.suite.spec.id}`));
    const ids = variantOrder.filter((id) => mine.some((p) => p.variantId === id));
    const suitesOf = (id: string): LoadedSuite[] => mine.filter((p) => p.variantId === id).map((p) => p.suite);
    // Δ under a template needs the parent's cell under the same template.
    const parentOf = (id: string): string | undefined => {
      const parent = comparedTo(id);
      return parent !== undefined && ids.includes(parent) ? parent : undefined;
    };
    const assembled = assembleCells(ids, parentOf, suitesOf, (v, s) => (scored.has(`${v}\u0000${s}`) ? outcome(v, s, template) : missing), seed);
    for (const c of assembled.cells) cells.push(withoutAgreement({ ...c, template }));
    lines.push(...assembled.lines);
  }
  const spreads: TemplateSensitivityRecord['spreads'][number][] = [];
  for (const variantId of variantOrder) {
    for (const suite of withVariants) {
      const own = cells.filter((c) => c.variantId === variantId && c.suiteId === suite.spec.id);
      const primary = primaryCells.find((c) => c.variantId === variantId && c.suiteId === suite.spec.id);
      if (own.length === 0 || !primary) continue;
      for (const metric of suite.spec.metrics) {
        const scores = templateIds(suite).map((template) => {
          const cell = template === PRIMARY_TEMPLATE_ID ? primary : own.find((c) => c.template === template);
          return { template, ...overallOf(cell, metric) };
        });
        spreads.push({ variantId, suiteId: suite.spec.id, metric, spread: templateSpread(scores) });
      }
    }
  }
  const suiteTemplates = withVariants.map((s) => ({
    suiteId: s.spec.id,
    templates: [{ id: PRIMARY_TEMPLATE_ID, template: s.spec.template ?? '' }, ...(s.spec.templateVariants ?? []).map((v) => ({ id: v.id, template: v.template }))],
  }));
  return { record: { allTemplates, suites: suiteTemplates, cells, spreads }, lines };
}

const missing: CellOutcome = { state: 'errored', error: 'not scored under this template', durationMs: 0 };

/** Agreement rows are stored for the primary template only. */
function withoutAgreement(c: TemplateCellRecord): TemplateCellRecord {
  if (c.state !== 'ok' || c.agreement === undefined) return c;
  const { agreement: _a, ...rest } = c;
  return rest;
}

function overallOf(cell: CellRecord | undefined, metric: string): { value: number | null; n: number } {
  if (cell?.state !== 'ok') return { value: null, n: 0 };
  const overall = (cell.aggregate.metrics as Record<string, { overall?: { value: number | null; n: number } }> | undefined)?.[metric]?.overall;
  return { value: overall?.value ?? null, n: overall?.n ?? 0 };
}
