import type { RunRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block, type TableCell } from '../document.js';
import { formatDelta, formatValue } from '../format.js';
import { cellOf, comparisonOf, metricOf, orderedVariants, primaryMetric } from '../record-view.js';
import { formatSpan, noiseFloorReading, parentSpreadOf, spreadOf, templateCellOf, templatesOf } from '../template-view.js';
import type { BuiltSection, ReportInput } from './built.js';

/**
 * Prompt sensitivity (docs/templates.md): per suite with `templateVariants`, each scored
 * variant's score under every template with its range and SD, then every variant's Δ
 * beside its parent's spread, the noise floor a compression effect must exceed (and,
 * after `--all-templates`, its Δ under each template).
 */
export function templatesSection({ record }: ReportInput): BuiltSection {
  const sensitivity = record.templateSensitivity;
  const blocks: Block[] = [];
  if (!sensitivity || sensitivity.suites.length === 0) {
    blocks.push(para('No suite of this run lists templateVariants: the report cannot say how far a change of prompt template alone moves a score.'));
  } else {
    blocks.push(para(`Changing only the prompt template moves a score; a Δ smaller than the parent's spread across templates is within what the wording alone does. ${sensitivity.allTemplates ? 'Every variant was scored under every template (--all-templates).' : 'Parents were scored under every template; variants under the primary template only (--all-templates scores them under all).'} The gate and every other figure read the primary template only. Range = max − min across templates; SD = sample standard deviation (n − 1).`));
    for (const { suiteId, templates } of sensitivity.suites) blocks.push(...suiteBlocks(record, suiteId, templates.map((t) => t.id)));
  }
  return { section: { id: 'templates', title: 'Prompt sensitivity: scores across templates', blocks }, charts: [] };
}

function suiteBlocks(record: RunRecord, suiteId: string, templates: readonly string[]): Block[] {
  const metric = primaryMetric(record, suiteId) ?? '';
  const blocks: Block[] = [para(`${suiteId} (${metric}): templates ${templatesOf(record, suiteId).map((t) => `${t.id} = ${JSON.stringify(t.template)}`).join('; ')}.`)];
  const unitOf = (variantId: string): string => metricOf(cellOf(record, variantId, suiteId), metric)?.unit ?? '';
  const spreadRows = orderedVariants(record).flatMap((v) => {
    const spread = spreadOf(record, v.id, suiteId, metric);
    if (!spread) return [];
    const unit = unitOf(v.id);
    const scores = templates.map((t) => {
      const s = spread.scores.find((x) => x.template === t);
      return numCell(s ? `${formatValue(s.value, unit)}, n=${s.n}` : 'n/a', s?.value);
    });
    return [[v.id, ...scores, numCell(formatSpan(spread.range, unit), spread.range), numCell(formatSpan(spread.sd, unit), spread.sd)]];
  });
  blocks.push(table({ id: `template-spread-${suiteId}`, columns: ['variant', ...templates.map((t) => `${metric} @${t}`), 'range', 'SD'], rows: spreadRows }));
  const deltaRows = orderedVariants(record).flatMap((v) => {
    const floor = parentSpreadOf(record, v.id, suiteId, metric);
    if (!floor) return [];
    const unit = unitOf(floor.parent);
    const delta = comparisonOf(cellOf(record, v.id, suiteId), metric)?.delta;
    const reading = noiseFloorReading(delta?.delta, floor.spread);
    const perTemplate: TableCell[] = record.templateSensitivity?.allTemplates
      ? templates.slice(1).map((t) => {
          const d = comparisonOf(templateCellOf(record, v.id, suiteId, t), metric)?.delta;
          return numCell(formatDelta(d, unit), d?.delta);
        })
      : [];
    const words = reading === 'exceeds' ? '|Δ| exceeds the spread' : reading === 'within' ? '|Δ| within the spread' : 'n/a';
    return [[v.id, floor.parent, numCell(formatDelta(delta, unit), delta?.delta), ...perTemplate, numCell(formatSpan(floor.spread.range, unit), floor.spread.range), numCell(formatSpan(floor.spread.sd, unit), floor.spread.sd), words]];
  });
  const perTemplateColumns = record.templateSensitivity?.allTemplates ? templates.slice(1).map((t) => `Δ @${t}`) : [];
  if (deltaRows.length > 0) {
    blocks.push(table({ id: `template-delta-${suiteId}`, columns: ['variant', 'parent', `Δ ${metric} @primary`, ...perTemplateColumns, 'parent range', 'parent SD', 'reading'], rows: deltaRows }));
  }
  return blocks;
}
