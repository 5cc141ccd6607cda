import { createHash } from 'node:crypto';
import { parseJsonl } from '../core/jsonl.js';
import { REQUEST_KINDS } from './kinds/registry.js';
import { fieldPath } from './kinds/common.js';
import type { Instance, SuiteSpec } from './spec.js';
import { templateFields, type TemplatePart } from './template.js';

/** Instances that passed their checks, and one-line problems for the rest. */
export interface InstanceParse {
  readonly instances: Instance[];
  readonly problems: string[];
}

/** What the spec-free checks read of an invalid suite.json: the id and group fields. */
export interface LenientSpec {
  readonly idField?: string;
  readonly groupField?: string;
}

/** Default instance field holding the id. */
export const DEFAULT_ID_FIELD = 'id';
/** Default instance field naming the item of a counterfactual variant. */
export const DEFAULT_GROUP_FIELD = 'group_id';

/**
 * Parses a dataset's JSONL text into instances and checks each one: a JSON object, a
 * unique id (from `idField`, else `#<line>`), string-valued tags, every template field
 * present, and the kind's own checks. Every problem is `FILE:LINE: <path>: <message> — <fix>`.
 * Without a `spec` (suite.json itself is invalid) only the checks that need no spec run,
 * so a suite.json error does not hide the data's own errors.
 */
export function parseInstances(text: string, file: string, spec: SuiteSpec | LenientSpec, template: readonly TemplatePart[]): InstanceParse {
  const { rows, problems } = parseJsonl(text, file);
  const instances: Instance[] = [];
  const firstLineOfId = new Map<string, number>();
  const idField = spec.idField ?? DEFAULT_ID_FIELD;
  const groupField = spec.groupField ?? DEFAULT_GROUP_FIELD;
  const kind = 'kind' in spec ? REQUEST_KINDS[spec.kind] : undefined;
  const needed = kind?.usesTemplate ? templateFields(template) : [];
  for (const { line, value } of rows) {
    const at = (path: string, message: string, fix: string): void => {
      problems.push(`${file}:${line}: ${path}: ${message} — ${fix}`);
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      at('$', `expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, 'write one {"field": …} object per line');
      continue;
    }
    const fields = value as Record<string, unknown>;
    const before = problems.length;
    const rawId = fields[idField];
    let id = `#${line}`;
    if (typeof rawId === 'string' || typeof rawId === 'number') id = String(rawId);
    else if (rawId !== undefined || spec.idField !== undefined) {
      at(fieldPath(idField), `instance id must be a string or number, got ${JSON.stringify(rawId) ?? 'nothing'}`, `give every instance a unique "${idField}"`);
    }
    const seen = firstLineOfId.get(id);
    if (seen !== undefined) at(fieldPath(idField), `duplicate instance id '${id}' (first on line ${seen})`, 'make instance ids unique');
    else firstLineOfId.set(id, line);
    const tags = readTags(fields.tags, at);
    const rawGroup = fields[groupField];
    if (rawGroup !== undefined && typeof rawGroup !== 'string' && typeof rawGroup !== 'number') {
      at(fieldPath(groupField), `group id must be a string or number, got ${JSON.stringify(rawGroup)}`, 'use the same string for every variant of one item');
    }
    const missing = needed.filter((f) => fields[f] === undefined);
    for (const f of missing) {
      at(fieldPath(f), `the template names {${f}} but this instance has no "${f}"`, `add "${f}" to the instance or change the template in suite.json`);
    }
    if (kind) {
      for (const p of kind.checkInstance(spec as SuiteSpec, fields, template)) at(p.path, p.message, p.fix);
    }
    if (problems.length > before) continue;
    instances.push({
      id,
      line,
      fields,
      tags,
      ...(rawGroup === undefined ? {} : { groupId: String(rawGroup) }),
      hash: createHash('sha256').update(JSON.stringify(fields)).digest('hex'),
    });
  }
  return { instances, problems };
}

function readTags(raw: unknown, at: (path: string, message: string, fix: string) => void): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    at('$.tags', 'tags must be an object of tag name to value', 'write "tags": {"dialect": "scots"}');
    return {};
  }
  const tags: Record<string, string> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') tags[name] = String(v);
    else at(`$.tags${fieldPath(name).slice(1)}`, `tag value must be a string, number or boolean, got ${JSON.stringify(v)}`, 'use a short label such as "scots" or "1-4"');
  }
  return tags;
}
