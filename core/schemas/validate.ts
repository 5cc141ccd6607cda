import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { jsonPointerLines, pointerToPath } from './json-lines.js';
import { closestNames, unknownNameMessage } from './suggest.js';

/** One schema violation, ready to print as `FILE[:LINE]: <json path>: <message> — <fix>`. */
export interface SchemaProblem {
  readonly file: string;
  /** 1-based line of the offending value (JSON: where it starts; JSONL: the record's line). */
  readonly line?: number;
  /** JSON path of the offending value, e.g. `$.metrics[0]`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** Where a validated value came from, for the problems' file and line. */
export interface SchemaSource {
  readonly file: string;
  /** The JSON text the value was parsed from (for per-path line numbers). */
  readonly text?: string;
  /** The JSONL line of the value (every problem gets this line). */
  readonly line?: number;
}

/** Checks a parsed value against a schema and returns every problem found (empty: valid). */
export type SchemaCheck = (value: unknown, source: SchemaSource) => SchemaProblem[];

/** Prints a problem on one line: `FILE[:LINE]: <json path>: <message> — <fix>`. */
export function formatProblem(p: SchemaProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.path}: ${p.message} — ${p.fix}`;
}

/**
 * Compiles a JSON Schema (draft 2020-12) with ajv in `allErrors` mode into a check
 * that reports every violation with its JSON path, line and a fix. An enum with a
 * `title` (e.g. "metric") reports unknown values as "Unknown metric 'x'. Did you mean…".
 */
export function compileSchema(schema: object): SchemaCheck {
  // strictRequired off: `then` branches list required fields that the root's properties define.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false });
  const validate: ValidateFunction = ajv.compile(schema);
  return (value, source) => {
    if (validate(value)) return [];
    const lines = source.text === undefined ? undefined : jsonPointerLines(source.text);
    return (validate.errors ?? [])
      .filter((e) => e.keyword !== 'if') // the failing `then` branch reports the real cause
      .map((e) => describe(e, source, lines, schema));
  };
}

function describe(
  e: ErrorObject,
  source: SchemaSource,
  lines: Map<string, number> | undefined,
  root: { properties?: object },
): SchemaProblem {
  let pointer = e.instancePath;
  let message = `${e.message ?? 'is invalid'}`;
  let fix = 'see the schema';
  const parent = e.parentSchema as { title?: string; description?: string; properties?: object } | undefined;
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      // A `then` branch has no properties of its own: fall back to the root's for top-level fields.
      const props = (parent?.properties ?? (e.instancePath === '' ? root.properties : undefined)) as
        | Record<string, { description?: string }>
        | undefined;
      const about = props?.[missing]?.description;
      message = `missing required field '${missing}'`;
      fix = `add "${missing}"${about ? ` (${about})` : ''}`;
      break;
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent?.properties ?? {});
      const near = closestNames(extra, known);
      pointer = `${pointer}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      message = `unknown field '${extra}'`;
      fix = near.length > 0 ? `did you mean: ${near.join(', ')}? Known fields: ${known.join(', ')}` : `remove it; known fields: ${known.join(', ')}`;
      break;
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const full = unknownNameMessage(parent?.title ?? 'value', String(e.data), allowed);
      const cut = full.indexOf('. ');
      message = full.slice(0, cut);
      fix = full.slice(cut + 2);
      break;
    }
    case 'type':
      message = `must be ${(e.params as { type: string }).type}, got ${Array.isArray(e.data) ? 'array' : e.data === null ? 'null' : typeof e.data}`;
      fix = parent?.description ? `expected: ${parent.description}` : `write a ${(e.params as { type: string }).type}`;
      break;
    default:
      fix = parent?.description ? `expected: ${parent.description}` : 'see the schema';
  }
  const line = source.line ?? lines?.get(pointer) ?? lines?.get(e.instancePath);
  return { file: source.file, ...(line === undefined ? {} : { line }), path: pointerToPath(pointer), message, fix };
}
