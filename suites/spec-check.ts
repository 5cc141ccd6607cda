import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { jsonPointerLines } from '../core/schemas/json-lines.js';
import { unknownNameMessage } from '../core/schemas/suggest.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../core/schemas/validate.js';
import { REQUEST_KINDS } from './kinds/registry.js';
import { isMetricId, METRICS, metricsForKind } from './metrics/registry.js';
import type { RequestKindId, SuiteSpec } from './spec.js';
import { parseTemplate, type TemplatePart } from './template.js';
import { templateVariantProblems } from './template-variants.js';

/** Absolute path of the suite JSON Schema. */
export const SUITE_SCHEMA_FILE = packagePath('core', 'schemas', 'suite.schema.json');

let compiled: SchemaCheck | undefined;

/** The parsed suite JSON Schema (for the registry test and docs). */
export function suiteSchema(): { properties: Record<string, unknown> } {
  return JSON.parse(readFileSync(SUITE_SCHEMA_FILE, 'utf8')) as { properties: Record<string, unknown> };
}

/** A checked spec with its parsed template, or the problems that stop it (with the parsed value, when the JSON parsed). */
export type SpecCheck =
  | { readonly state: 'ok'; readonly spec: SuiteSpec; readonly template: TemplatePart[] }
  | { readonly state: 'invalid'; readonly problems: string[]; readonly value?: unknown };

/**
 * Checks a suite.json text: JSON syntax, then the schema (every violation) and what the
 * schema cannot say (metrics that do not read this kind, a bad template, settings the
 * kind or role does not use) in one pass, so every problem of the file is reported at once.
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
  const problems = compiled(value, { file, text }).map(formatProblem);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { state: 'invalid', problems, value };
  const semantic = semanticProblems(value as Partial<Record<keyof SuiteSpec, unknown>>, text, file);
  problems.push(...semantic.problems);
  if (problems.length > 0) return { state: 'invalid', problems, value };
  return { state: 'ok', spec: value as SuiteSpec, template: semantic.template };
}

/** Checks beyond the schema; each reads only fields whose type is right (the schema reports the rest). */
function semanticProblems(spec: Partial<Record<keyof SuiteSpec, unknown>>, text: string, file: string): { problems: string[]; template: TemplatePart[] } {
  const lines = jsonPointerLines(text);
  const problems: string[] = [];
  const at = (pointer: string, path: string, message: string, fix: string): void => {
    const line = lines.get(pointer);
    problems.push(`${file}${line ? `:${line}` : ''}: ${path}: ${message} — ${fix}`);
  };
  const kindId = typeof spec.kind === 'string' && Object.hasOwn(REQUEST_KINDS, spec.kind) ? (spec.kind as RequestKindId) : undefined;
  const kind = kindId === undefined ? undefined : REQUEST_KINDS[kindId];
  const metrics = Array.isArray(spec.metrics) ? spec.metrics.filter((m): m is string => typeof m === 'string') : [];
  const slices = Array.isArray(spec.slices) ? spec.slices.filter((t): t is string => typeof t === 'string') : [];
  if (kindId !== undefined) {
    metrics.forEach((m, i) => {
      // Unknown ids are the schema's to report (with "did you mean").
      if (isMetricId(m) && METRICS[m].kind !== kindId) {
        at(`/metrics/${i}`, `$.metrics[${i}]`, `metric '${m}' reads ${METRICS[m].kind} results, not ${kindId}`, `use one of: ${metricsForKind(kindId).join(', ')}`);
      }
    });
  }
  let template: TemplatePart[] = [];
  if (kind && !kind.usesTemplate && spec.template !== undefined) {
    at('/template', '$.template', `kind '${kindId}' does not use a template`, 'remove "template"');
  } else if (kind?.usesTemplate && (spec.template === undefined || typeof spec.template === 'string')) {
    const parsed = parseTemplate((spec.template as string | undefined) ?? kind.defaultTemplate ?? '');
    if (typeof parsed === 'string') at('/template', '$.template', parsed, 'fix the template');
    else template = parsed;
  }
  templateVariantProblems(spec, kind?.usesTemplate, template, at);
  if (kind && spec.fewShot !== undefined && !kind.fewShot) {
    at('/fewShot', '$.fewShot', `kind '${kindId}' does not take few-shot examples`, 'remove "fewShot"');
  }
  if (kindId !== undefined && spec.generation !== undefined && kindId !== 'generate') {
    at('/generation', '$.generation', `"generation" applies to kind 'generate' only`, 'remove "generation"');
  }
  if (spec.targetOccurrence !== undefined && spec.targetsField === undefined) {
    at('/targetOccurrence', '$.targetOccurrence', '"targetOccurrence" says where target words are scored, but the suite names no "targetsField"', 'add "targetsField" or remove "targetOccurrence"');
  }
  const chance = spec.chance as { metric?: unknown; bySlice?: { tag?: unknown } } | undefined;
  if (typeof chance?.metric === 'string' && metrics.length > 0 && !metrics.includes(chance.metric)) {
    at('/chance/metric', '$.chance.metric', unknownNameMessage('chance metric', chance.metric, metrics), `use one of this suite's metrics: ${metrics.join(', ')}`);
  }
  if (typeof chance?.bySlice?.tag === 'string' && !slices.includes(chance.bySlice.tag)) {
    at('/chance/bySlice/tag', '$.chance.bySlice.tag', `'${chance.bySlice.tag}' is not one of the suite's slices`, `add it to "slices" or use one of: ${slices.join(', ') || '(none)'}`);
  }
  roleProblems(spec, slices, at);
  return { problems, template };
}

function roleProblems(
  spec: Partial<Record<keyof SuiteSpec, unknown>>,
  slices: readonly string[],
  at: (pointer: string, path: string, message: string, fix: string) => void,
): void {
  const role = typeof spec.role === 'string' ? spec.role : undefined;
  if (typeof spec.closedBookTwin === 'string') {
    if (role !== undefined && role !== 'knowledge-open') {
      at('/closedBookTwin', '$.closedBookTwin', `only an open-book suite (role 'knowledge-open') has a closed-book twin; this suite's role is '${role}'`, 'remove "closedBookTwin" or set "role": "knowledge-open"');
    } else if (spec.closedBookTwin === spec.id) {
      at('/closedBookTwin', '$.closedBookTwin', 'a suite cannot be its own closed-book twin', 'give the id of the suite that asks the same questions without the passage');
    }
  }
  if (typeof spec.roleSlice === 'string' && !slices.includes(spec.roleSlice)) {
    at('/roleSlice', '$.roleSlice', `'${spec.roleSlice}' is not one of the suite's slices`, `add it to "slices" or use one of: ${slices.join(', ') || '(none)'}`);
  }
  if (role === 'fairness' && slices.length === 0) {
    at('/role', '$.role', "a 'fairness' suite compares slices but lists none", 'add "slices": ["<the tag naming the groups>"] and tag every instance');
  }
}
