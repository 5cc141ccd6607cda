/**
 * Reading the run record's prompt sensitivity (`templateSensitivity`, docs/templates.md):
 * a parent's spread across templates as the noise floor beside a variant's Δ.
 */
import type { RunRecord, TemplateCellRecord, TemplateSensitivityRecord } from '../core/run-record.js';
import type { TemplateSpread } from '../core/stats/template-spread.js';
import { formatDifference, formatValue } from './format.js';
import { parentOf } from './record-view.js';

/** A variant's spread of one metric of a suite across its templates (undefined: not scored under them). */
export function spreadOf(record: RunRecord, variantId: string, suiteId: string, metric: string): TemplateSpread | undefined {
  return record.templateSensitivity?.spreads.find((s) => s.variantId === variantId && s.suiteId === suiteId && s.metric === metric)?.spread;
}

/** The spread a variant's Δ is read against: its parent's (undefined without parent or spread). */
export function parentSpreadOf(record: RunRecord, variantId: string, suiteId: string, metric: string): { parent: string; spread: TemplateSpread } | undefined {
  const parent = parentOf(record, variantId);
  const spread = parent === undefined ? undefined : spreadOf(record, parent, suiteId, metric);
  return parent === undefined || spread === undefined ? undefined : { parent, spread };
}

/** A cell scored under a non-primary template. */
export function templateCellOf(record: RunRecord, variantId: string, suiteId: string, template: string): TemplateCellRecord | undefined {
  return record.templateSensitivity?.cells.find((c) => c.variantId === variantId && c.suiteId === suiteId && c.template === template);
}

/** The templates of a suite (`primary` first), or none when it lists no variants. */
export function templatesOf(record: RunRecord, suiteId: string): TemplateSensitivityRecord['suites'][number]['templates'] {
  return record.templateSensitivity?.suites.find((s) => s.suiteId === suiteId)?.templates ?? [];
}

/** How a Δ compares with the template spread: `exceeds` when |Δ| > range, `within` when not, `unknown` without a range. */
export function noiseFloorReading(delta: number | undefined, spread: TemplateSpread): 'exceeds' | 'within' | 'unknown' {
  if (delta === undefined || !Number.isFinite(delta) || spread.range === null) return 'unknown';
  return Math.abs(delta) > spread.range ? 'exceeds' : 'within';
}

/** A non-negative spread (range, SD) with its unit: `4.3 pp`, `0.120 ppl`; `n/a` for null. */
export function formatSpan(x: number | null, unit: string): string {
  return x === null ? 'n/a' : formatDifference(x, unit).replace(/^\+/u, '');
}

/** `range 4.3 pp, SD 2.2 pp over 3 templates (primary 51.0%, qa 47.3%, …)`. */
export function spreadSentence(spread: TemplateSpread, unit: string): string {
  const scores = spread.scores.map((s) => `${s.template} ${formatValue(s.value, unit)}`).join(', ');
  return `range ${formatSpan(spread.range, unit)}, SD ${formatSpan(spread.sd, unit)} over ${spread.templates} templates (${scores})${spread.complete ? '' : '; some templates errored'}`;
}
