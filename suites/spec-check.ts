import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { jsonPointerLines } from '../core/schemas/json-lines.js';
import { unknownNameMessage } from '../core/schemas/suggest.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../core/schemas/validate.js';
import { REQUEST_KINDS } from './kinds/registry.js';
import { isMetricId, METRICS, metricsForKind } from './metrics/registry.js';
import type { SuiteSpec } from './spec.js';
import { parseTemplate, type TemplatePart } from './template.js';

/** Absolute path of the suite JSON Schema. */
export const SUITE_SCHEMA_FILE = packagePath('core', 'schemas', 'suite.schema.json');

let compiled: SchemaCheck | undefined;

/** The parsed suite JSON Schema (for the registry test and docs). */
export function suiteSchema(): { properties: Record<string, unknown> } {
  return JSON.parse(readFileSync(SUITE_SCHEMA_FILE, 'utf8')) as { properties: Record<string, unknown> };
}

/** A checked spec with its parsed template, or the problems that stop it. */
export type SpecCheck =
  | { readonly state: 'ok'; readonly spec: SuiteSpec; readonly template: TemplatePart[] }
  | { readonly state: 'invalid'; readonly problems: string[] };

/**
 * Checks a suite.json text: JSON syntax, the schema (every violation), then what the
 * schema cannot say: metrics that do not read this kind, a bad template, a template or
 * few-shot settings the kind does not use.
 */
export function checkSpecText(text: string, file: string): SpecCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(reason);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    return { state: 'invalid', problems: [`${file}${line ? `:${line}` : ''}: malformed JSON (${reason}) — fix the syntax`] };
  }
  compiled ??= compileSchema(suiteSchema());
  const schemaProblems = compiled(value, { file, text });
  if (schemaProblems.length > 0) return { state: 'invalid', problems: schemaProblems.map(formatProblem) };
  const spec = value as SuiteSpec;
  const lines = jsonPointerLines(text);
  const problems: string[] = [];
  const at = (pointer: string, path: string, message: string, fix: string): void => {
    const line = lines.get(pointer);
    problems.push(`${file}${line ? `:${line}` : ''}: ${path}: ${message} — ${fix}`);
  };
  const kind = REQUEST_KINDS[spec.kind];
  spec.metrics.forEach((m, i) => {
    if (!isMetricId(m)) {
      // Unreachable while the schema enum equals the registry; kept so a drift fails loudly.
      at(`/metrics/${i}`, `$.metrics[${i}]`, unknownNameMessage('metric', m, Object.keys(METRICS)), 'fix the metric id');
    } else if (METRICS[m].kind !== spec.kind) {
      at(`/metrics/${i}`, `$.metrics[${i}]`, `metric '${m}' reads ${METRICS[m].kind} results, not ${spec.kind}`, `use one of: ${metricsForKind(spec.kind).join(', ')}`);
    }
  });
  let template: TemplatePart[] = [];
  if (!kind.usesTemplate && spec.template !== undefined) {
    at('/template', '$.template', `kind '${spec.kind}' does not use a template`, 'remove "template"');
  } else if (kind.usesTemplate) {
    const parsed = parseTemplate(spec.template ?? kind.defaultTemplate ?? '');
    if (typeof parsed === 'string') at('/template', '$.template', parsed, 'fix the template');
    else template = parsed;
  }
  if (spec.fewShot && !kind.fewShot) {
    at('/fewShot', '$.fewShot', `kind '${spec.kind}' does not take few-shot examples`, 'remove "fewShot"');
  }
  if (spec.generation && spec.kind !== 'generate') {
    at('/generation', '$.generation', `"generation" applies to kind 'generate' only`, 'remove "generation"');
  }
  if (spec.chance && !spec.metrics.includes(spec.chance.metric)) {
    at('/chance/metric', '$.chance.metric', unknownNameMessage('chance metric', spec.chance.metric, spec.metrics), `use one of this suite's metrics: ${spec.metrics.join(', ')}`);
  }
  if (spec.chance?.bySlice && !(spec.slices ?? []).includes(spec.chance.bySlice.tag)) {
    at('/chance/bySlice/tag', '$.chance.bySlice.tag', `'${spec.chance.bySlice.tag}' is not one of the suite's slices`, `add it to "slices" or use one of: ${(spec.slices ?? []).join(', ') || '(none)'}`);
  }
  return problems.length > 0 ? { state: 'invalid', problems } : { state: 'ok', spec, template };
}
