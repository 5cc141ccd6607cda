/**
 * Prompt sensitivity: a suite's `templateVariants` are other phrasings of its prompt
 * with the same placeholders. A suite scored under one is the same suite (same id,
 * instances and metrics) with another template and a hash of its own, so its cached
 * results and records are never taken for the primary template's.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';
import type { LoadedSuite, SuiteSpec } from './spec.js';
import { parseTemplate, templateFields, type TemplatePart } from './template.js';

/** The id of a suite's own `template` (a variant may not take it). */
export const PRIMARY_TEMPLATE_ID = 'primary';

/** Reports one problem at a JSON pointer (spec-check's `at`). */
type At = (pointer: string, path: string, message: string, fix: string) => void;

/**
 * What the schema cannot say about `templateVariants`: the kind must render a template,
 * ids must be unique, each template must parse and read exactly the primary template's
 * placeholders (an unknown one would be missing from instances; a dropped one would
 * silently ask another question).
 */
export function templateVariantProblems(spec: Partial<Record<keyof SuiteSpec, unknown>>, usesTemplate: boolean | undefined, primary: readonly TemplatePart[], at: At): void {
  if (!Array.isArray(spec.templateVariants)) return;
  if (usesTemplate === false) {
    at('/templateVariants', '$.templateVariants', `kind '${String(spec.kind)}' does not use a template`, 'remove "templateVariants"');
    return;
  }
  const wanted = templateFields(primary).sort();
  const seen = new Set<string>();
  spec.templateVariants.forEach((v: unknown, i) => {
    const variant = v as { id?: unknown; template?: unknown };
    if (typeof variant?.id === 'string') {
      if (seen.has(variant.id)) at(`/templateVariants/${i}/id`, `$.templateVariants[${i}].id`, `template id '${variant.id}' is used twice`, 'give each template variant its own id');
      seen.add(variant.id);
    }
    if (typeof variant?.template !== 'string') return;
    const parts = parseTemplate(variant.template);
    const where = [`/templateVariants/${i}/template`, `$.templateVariants[${i}].template`] as const;
    if (typeof parts === 'string') {
      at(...where, parts, 'fix the template');
      return;
    }
    if (usesTemplate === undefined || primary.length === 0) return;
    const fields = templateFields(parts);
    const unknown = fields.filter((f) => !wanted.includes(f));
    const dropped = wanted.filter((f) => !fields.includes(f));
    if (unknown.length > 0) {
      at(...where, `unknown placeholder ${unknown.map((f) => `{${f}}`).join(', ')}: the primary template reads ${wanted.map((f) => `{${f}}`).join(', ') || 'no field'}`, 'use the same placeholders as "template" (write {{ for a literal brace)');
    } else if (dropped.length > 0) {
      at(...where, `placeholder ${dropped.map((f) => `{${f}}`).join(', ')} of the primary template is missing`, 'a variant rephrases the prompt around the same fields: add it');
    }
  });
}

/** The template ids of a suite: `primary` first, then its variants in suite.json order. */
export function templateIds(suite: LoadedSuite): string[] {
  return [PRIMARY_TEMPLATE_ID, ...(suite.spec.templateVariants ?? []).map((v) => v.id)];
}

/**
 * The suite scored under template `id` (`primary`: the suite itself). Its hash covers the
 * suite's hash, the template id and text, so cache files and records of two templates
 * never mix.
 */
export function suiteUnderTemplate(suite: LoadedSuite, id: string): LoadedSuite {
  if (id === PRIMARY_TEMPLATE_ID) return suite;
  const variant = suite.spec.templateVariants?.find((v) => v.id === id);
  if (!variant) {
    throw new InputError(`${suite.file}: $.templateVariants: no template '${id}' — use one of: ${templateIds(suite).join(', ')}`);
  }
  const parsed = parseTemplate(variant.template);
  if (typeof parsed === 'string') throw new InputError(`${suite.file}: $.templateVariants: template '${id}': ${parsed}`);
  const hash = createHash('sha256').update(suite.hash).update('\u0000template\u0000').update(id).update('\u0000').update(variant.template).digest('hex');
  return { ...suite, template: parsed, hash, templateId: id };
}
