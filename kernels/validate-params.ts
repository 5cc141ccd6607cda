/**
 * Checking method params before any work starts: unknown names, types, limits, the
 * constraints between params (a narrow grid is symmetric; N < M) and those that depend on
 * the run (calibration needed). A group that does not divide K is allowed: the last group
 * is partial. Every failure is an InputError with a one-line message naming the limit.
 */
import { InputError } from '../core/errors.js';
import { unknownNameMessage } from '../core/schemas/suggest.js';
import { METHODS, METHOD_IDS, type MethodId, type ParamSpec, type ParamValue } from './registry.js';

/** What the params are checked against, when known. */
export interface ValidationContext {
  /** Number of calibration tokens available (0 = none). */
  readonly calibrationTokens?: number;
}

/** Resolved params: defaults filled in. */
export type ResolvedParams<M extends MethodId> = {
  -readonly [P in keyof (typeof METHODS)[M]['defaults']]: (typeof METHODS)[M]['defaults'][P] extends boolean
    ? boolean
    : (typeof METHODS)[M]['defaults'][P] extends number ? number : ParamValue;
};

/** Throws InputError unless `id` names a method. */
export function assertMethodId(id: string): asserts id is MethodId {
  if (!(METHOD_IDS as string[]).includes(id)) throw new InputError(unknownNameMessage('method', id, METHOD_IDS));
}

/**
 * Checks `raw` params for method `id` and returns them with defaults filled in.
 * Throws InputError (one line) on the first problem.
 */
export function validateParams<M extends MethodId>(id: M, raw: Readonly<Record<string, unknown>>, ctx: ValidationContext = {}): ResolvedParams<M> {
  assertMethodId(id);
  const info = METHODS[id];
  const specs: Readonly<Record<string, ParamSpec>> = info.params;
  const names = Object.keys(specs);
  for (const name of Object.keys(raw)) {
    if (!(name in specs)) throw new InputError(`${id}: ${unknownNameMessage('param', name, names)}`);
  }
  const out: Record<string, ParamValue> = { ...info.defaults };
  for (const name of names) {
    if (raw[name] !== undefined) out[name] = checkValue(id, name, specs[name], raw[name]);
  }
  if (raw.symGrid === 'narrow' && out.symmetric !== true) {
    throw new InputError(`${id}: symGrid 'narrow' is a symmetric grid; also set symmetric: true (--sym) or drop symGrid`);
  }
  if (id === 'nm') {
    const { n, m } = out as { n: number; m: number };
    if (n >= m) throw new InputError(`nm: pattern ${n}:${m} is invalid; N must be smaller than M (e.g. 2:4)`);
  }
  if (id === 'kv-cache') {
    const { type, group, residual } = out as { type: string; group: number; residual: number };
    if (type !== 'kivi2' && (raw.group !== undefined || raw.residual !== undefined)) throw new InputError(`kv-cache: group and residual apply to type kivi2 only; remove them for ${type}`);
    if (residual % group !== 0) throw new InputError(`kv-cache: residual must be 0 or a multiple of group ${group} (KIVI flushes whole groups), got ${residual}`);
  }
  if (id === 'gguf' && out.type === 'F32' && out.imatrix === true) throw new InputError('gguf: imatrix applies to quantized types; remove it for F32');
  if (calibrationNeeded(id, out) && ctx.calibrationTokens !== undefined && ctx.calibrationTokens <= 0) {
    const what = id === 'nm' ? "nm with score 'wanda'" : id;
    throw new InputError(`${what} needs calibration input, but the calibration set is empty; give calibration text (at least one token)`);
  }
  return out as ResolvedParams<M>;
}

/** Whether method `id` with these resolved params reads calibration activations (nm: only with score 'wanda'). */
export function calibrationNeeded(id: MethodId, params: Readonly<Record<string, ParamValue>>): boolean {
  if (id === 'nm') return params.score !== 'magnitude';
  if (id === 'gguf') return params.imatrix === true;
  return METHODS[id].needsCalibration;
}

function checkValue(id: string, name: string, spec: ParamSpec, v: unknown): ParamValue {
  const where = `${id}: ${name}`;
  switch (spec.kind) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max) {
        throw new InputError(`${where} must be an integer from ${spec.min} to ${spec.max}, got ${JSON.stringify(v)}`);
      }
      return v;
    case 'number': {
      const tooBig = typeof v === 'number' && (spec.maxExclusive ? v >= spec.max : v > spec.max);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < spec.min || tooBig) {
        const range = `[${spec.min}, ${spec.max}${spec.maxExclusive ? ')' : ']'}`;
        throw new InputError(`${where} must be a number in ${range}, got ${JSON.stringify(v)}`);
      }
      return v;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw new InputError(`${where} must be true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v)) {
        throw new InputError(`${where} must be one of ${spec.values.join(', ')}, got ${JSON.stringify(v)}`);
      }
      return v;
    case 'string':
      if (typeof v !== 'string' || v.trim() === '') throw new InputError(`${where} must be a non-empty string, got ${JSON.stringify(v)}`);
      return v;
    case 'group':
      if (typeof v === 'string' && spec.names.includes(v)) return v;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        throw new InputError(`${where} must be ${spec.names.map((s) => `'${s}'`).join(' or ')} or a positive integer group size, got ${JSON.stringify(v)}`);
      }
      return v;
  }
}
