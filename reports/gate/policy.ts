import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { jsonPointerLines } from '../../core/schemas/json-lines.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/validate.js';

/** Absolute path of the gate policy JSON Schema. */
export const GATE_POLICY_SCHEMA_FILE = packagePath('core', 'schemas', 'gate-policy.schema.json');

/**
 * What the default gate derives for a run of the bundled suites with measurement on, as
 * a file to pin with `--policy` (the default itself is derived from each run's suites).
 */
export const BUNDLED_POLICY_FILE = packagePath('reports', 'gate', 'bundled-policy.json');

/** Rule kinds (DESIGN.md §7); the schema's `kind` enum lists the same names. */
export const RULE_KINDS = [
  'floor',
  'ceiling',
  'relative_drop',
  'absolute_drop',
  'recovery',
  'noninferiority',
  'max_flip_rate',
  'latency',
  'memory',
  'max_mean_kl',
  'min_same_top_rate',
  'min_memory_saving',
  'min_disk_saving',
  'min_speedup',
  'max_generation_length_ratio',
] as const;

/** One rule kind. */
export type RuleKind = (typeof RULE_KINDS)[number];

/** What a latency or memory rule does for a simulated variant (no speed or memory figure). */
export type SimulatedHandling = 'skip' | 'fail';

/** One gate rule, as validated by `core/schemas/gate-policy.schema.json` (field meanings live there). */
export interface GateRule {
  readonly id: string;
  readonly kind: RuleKind;
  readonly description?: string;
  /** Suite id or `*` (suite rules only). */
  readonly suite?: string;
  readonly metric?: string;
  /** `{tag}`: every slice of the tag; `{tag, value}`: one slice. */
  readonly slice?: { readonly tag: string; readonly value?: string };
  /** Variant id or glob, or a list; default every variant except the baseline. */
  readonly variants?: string | readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly tolerance?: number;
  readonly ratio?: number;
  readonly margin?: number;
  readonly flips?: 'right_to_wrong' | 'any';
  readonly decodeP99Ms?: number;
  readonly prefillP99Ms?: number;
  readonly maxPeakRssBytes?: number;
  readonly minN?: number;
  readonly simulated?: SimulatedHandling;
  /** Overrides the policy's `requirePower` for this rule. */
  readonly requirePower?: boolean;
  /** max_generation_length_ratio: which length statistic (default `median`). */
  readonly statistic?: 'median' | 'p95';
}

/** A gate policy (`--policy FILE`). */
export interface GatePolicy {
  readonly description?: string;
  /** Minimum n of every summary or comparison a rule reads (default 0). */
  readonly minN?: number;
  /** Default `skip`. */
  readonly simulated?: SimulatedHandling;
  /** Fail a point-estimate rule's pass that is underpowered (tolerance below the MDE, reports/gate/power-check.ts); default false. */
  readonly requirePower?: boolean;
  readonly rules: readonly GateRule[];
}

/** Where a policy came from: the file as given (or the derived default's label) and the sha256 of its bytes. */
export interface PolicySource {
  readonly source: string;
  readonly sha256: string;
}

/** A checked policy with its provenance. */
export interface LoadedPolicy {
  readonly policy: GatePolicy;
  readonly source: PolicySource;
}

let compiled: SchemaCheck | undefined;

/**
 * Reads and checks a gate policy file: JSON syntax, the schema (unknown kinds and
 * metrics get "did you mean"), then unique rule ids. Throws an {@link InputError}
 * naming the file, line and JSON path.
 */
export function loadPolicy(file: string): LoadedPolicy {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`--policy ${file}: cannot read the gate policy (${messageOf(e)}); give a JSON file`);
  }
  const policy = parsePolicyText(bytes.toString('utf8'), file);
  return { policy, source: { source: file, sha256: createHash('sha256').update(bytes).digest('hex') } };
}

/**
 * Checks a policy given as a value (e.g. inline in a run config) exactly as a file;
 * `label` names it in messages and is its source; the sha256 is of its compact JSON.
 */
export function inlinePolicy(value: unknown, label: string): LoadedPolicy {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  const policy = parsePolicyText(text, label);
  return { policy, source: { source: label, sha256: createHash('sha256').update(JSON.stringify(value)).digest('hex') } };
}

/** Checks a policy's JSON text (see {@link loadPolicy}); `file` names it in messages. */
export function parsePolicyText(text: string, file: string): GatePolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = messageOf(e);
    const pos = /position (\d+)/.exec(reason);
    const line = pos ? `:${text.slice(0, Number(pos[1])).split('\n').length}` : '';
    throw new InputError(`invalid gate policy ${file}${line}: malformed JSON (${reason}) — fix the syntax`);
  }
  compiled ??= compileSchema(JSON.parse(readFileSync(GATE_POLICY_SCHEMA_FILE, 'utf8')) as object);
  const problems = compiled(value, { file, text }).map(formatProblem);
  const policy = value as GatePolicy;
  if (problems.length === 0) problems.push(...duplicateIds(policy, text, file));
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    throw new InputError(`invalid gate policy: ${problems.slice(0, 3).join('; ')}${more}`);
  }
  return policy;
}

function duplicateIds(policy: GatePolicy, text: string, file: string): string[] {
  const lines = jsonPointerLines(text);
  const seen = new Map<string, number>();
  const problems: string[] = [];
  policy.rules.forEach((rule, i) => {
    const first = seen.get(rule.id);
    if (first === undefined) seen.set(rule.id, i);
    else {
      const line = lines.get(`/rules/${i}/id`);
      problems.push(`${file}${line ? `:${line}` : ''}: $.rules[${i}].id: duplicate rule id '${rule.id}' (also $.rules[${first}].id) — give each rule its own id`);
    }
  });
  return problems;
}
