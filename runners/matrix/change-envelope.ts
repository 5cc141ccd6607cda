/**
 * The change envelope a run config names: a separate file (preferred), recorded in the
 * run record by path and sha256 so a change record can prove which declaration it
 * screened against, or an inline object (kept for old configs; the record then says the
 * envelope was declared in the same config as the run).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/index.js';

/** The envelope as the run record carries it (`config.changeEnvelope`). */
export type EnvelopeRecord =
  | { readonly file: string; readonly sha256: string; readonly envelope: Readonly<Record<string, unknown>> }
  | Readonly<Record<string, unknown>>;

let schemaCheck: SchemaCheck | undefined;
function envelopeSchema(): SchemaCheck {
  schemaCheck ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'change-envelope.schema.json'), 'utf8')) as object);
  return schemaCheck;
}

/**
 * Resolves `changeEnvelope` from a config in `dir`: a path is read, checked against
 * core/schemas/change-envelope.schema.json and hashed (plain sha256 of its bytes); an
 * object is returned as given. `where` names the config field in errors.
 */
export function resolveChangeEnvelope(value: unknown, dir: string, where: string): EnvelopeRecord {
  if (value === undefined) return {};
  if (typeof value !== 'string') return value as Readonly<Record<string, unknown>>;
  const file = resolve(dir, value);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`${where}: $.changeEnvelope: cannot read ${file} (${messageOf(e)}) — give a path relative to the config file`);
  }
  const text = bytes.toString('utf8');
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: malformed JSON (${messageOf(e)}) — fix the syntax`);
  }
  const problems = envelopeSchema()(envelope, { file, text });
  if (problems.length > 0) throw new InputError(`${formatProblem(problems[0])}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), envelope: envelope as Record<string, unknown> };
}

/** The envelope record with its file shown as `display` makes paths (relative to the package when inside it). */
export function envelopeForRecord(envelope: EnvelopeRecord, display: (path: string) => string): EnvelopeRecord {
  return typeof envelope.file === 'string' && typeof envelope.sha256 === 'string' ? { ...envelope, file: display(envelope.file) } : envelope;
}
