/**
 * Expands a resolved config into the variants to evaluate: every model as it is, then
 * each methods[] entry × the cartesian product of its list-valued params × its models.
 */
import { InputError, messageOf } from '../../core/errors.js';
import { validateParams, type MethodId, type ParamValue } from '../../kernels/index.js';
import { chooseInt8Form } from '../compress/int8-form.js';
import type { CompressSpec } from '../compress/spec.js';
import { METHOD_ENTRY_KEYS, type MethodEntry, type ResolvedRunConfig } from './config.js';

/** One variant of the matrix (plain data). */
export interface VariantPlan {
  /** Unique id in the run: `teacher`, `teacher/rtn-w4-g32`. */
  readonly id: string;
  /** The base model's id. */
  readonly model: string;
  /** The base model's folder. */
  readonly baseDir: string;
  readonly distilledFrom?: string;
  /** The variant it is compared with (core/pairing.ts); absent: it stands on its own. */
  readonly comparedTo?: string;
  /** The model its model was recovered from by quantization-aware training (config `recoveredFrom`). */
  readonly recoveredFrom?: string;
  /** Absent: the model evaluated as it is. */
  readonly compress?: CompressSpec;
}

/**
 * The variants of a config, models first, in config order. Bad params: with `collect`,
 * their problems are pushed there and those entries skipped; without, one InputError lists them.
 */
export function planVariants(config: ResolvedRunConfig, collect?: string[]): VariantPlan[] {
  const byId = new Map(config.models.map((m) => [m.id, m]));
  const problems: string[] = [];
  const out: VariantPlan[] = config.models.map((m) => {
    const comparedTo = m.compareTo ?? m.distilledFrom ?? m.recoveredFrom;
    return { id: m.id, model: m.id, baseDir: m.dir, ...(m.distilledFrom ? { distilledFrom: m.distilledFrom } : {}), ...recovered(m), ...(comparedTo ? { comparedTo } : {}) };
  });
  config.methods.forEach((entry, i) => {
    const combos = expandParams(entry);
    if (entry.id !== undefined && combos.length > 1) {
      throw new InputError(`${config.source}: $.methods[${i}].id: an entry with list-valued params makes ${combos.length} variants; remove "id" or split the entry`);
    }
    for (const modelId of entry.models ?? [config.baseline]) {
      const model = byId.get(modelId)!;
      for (const params of combos) {
        try {
          validateParams(entry.method, params);
        } catch (e) {
          problems.push(`$.methods[${i}]: ${messageOf(e)}`);
          continue;
        }
        const spec: CompressSpec = {
          method: entry.method,
          params,
          ...(entry.form ? { form: entry.form } : {}),
          ...(entry.accuracyLevel !== undefined ? { accuracyLevel: entry.accuracyLevel } : {}),
          ...(entry.includeHead !== undefined ? { includeHead: entry.includeHead } : {}),
          // W8A8 operands depend on this CPU; resolved here so the form is in the variant's cache key.
          ...(entry.method === 'smoothquant' ? { int8: chooseInt8Form() } : {}),
        };
        // A recovered model's quantized variants answer "PTQ vs QAT at equal bits": compared with the fp32 model it was recovered from.
        const comparedTo = model.recoveredFrom ?? model.id;
        out.push({ id: `${model.id}/${entry.id ?? variantSlug(entry.method, params, entry.form)}`, model: model.id, baseDir: model.dir, comparedTo, ...recovered(model), compress: spec });
      }
    }
  });
  if (collect) {
    collect.push(...problems);
  } else if (problems.length > 0) throw new InputError(`${config.source}: ${joinProblems(problems)}`);
  const seen = new Set<string>();
  for (const v of out) {
    if (seen.has(v.id)) throw new InputError(`${config.source}: $.methods: two variants are both named '${v.id}' — give one of the entries an "id"`);
    seen.add(v.id);
  }
  return out;
}

function recovered(m: { readonly recoveredFrom?: string }): { recoveredFrom?: string } {
  return m.recoveredFrom ? { recoveredFrom: m.recoveredFrom } : {};
}

/** The param combinations of one entry (list values are swept, in the order written). */
export function expandParams(entry: MethodEntry): Record<string, ParamValue>[] {
  const keys = Object.keys(entry).filter((k) => !(METHOD_ENTRY_KEYS as readonly string[]).includes(k));
  let combos: Record<string, ParamValue>[] = [{}];
  for (const key of keys) {
    const value = entry[key];
    const values = (Array.isArray(value) ? value : [value]) as ParamValue[];
    // kv-cache and gguf entries name their sweep "types" (one variant per form); the param is "type"
    const name = (entry.method === 'kv-cache' || entry.method === 'gguf') && key === 'types' ? 'type' : key;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

const SHORT: Readonly<Record<string, (v: ParamValue) => string>> = {
  bits: (v) => `w${v}`,
  group: (v) => (v === 'channel' ? 'gch' : v === 'tensor' ? 'gt' : `g${v}`),
  sparsity: (v) => `${Math.round(Number(v) * 100)}pct`,
  ratio: (v) => `${Math.round(Number(v) * 100)}pct`,
  alpha: (v) => `a${v}`,
  type: (v) => `${v}`,
  residual: (v) => `r${v}`,
  imatrix: (v) => (v === true ? 'imatrix' : ''),
  kvCache: (v) => (v === 'f32' ? '' : `kv${v}`),
};

/** A readable variant name: `rtn-w4-g32`, `nm-2of4`, `magnitude-50pct`, `smoothquant-w8a8-a0.5`, `kv-cache-kivi2-g32-r64`. */
export function variantSlug(method: MethodId, params: Readonly<Record<string, ParamValue>>, form?: string): string {
  const parts: string[] = [method];
  if (method === 'smoothquant') parts.push('w8a8');
  if (method === 'nm') parts.push(`${params.n ?? 2}of${params.m ?? 4}`);
  for (const [k, v] of Object.entries(params)) {
    if (method === 'nm' && (k === 'n' || k === 'm')) continue;
    const part = SHORT[k] ? SHORT[k](v) : `${k}${v}`;
    if (part !== '') parts.push(part);
  }
  if (form) parts.push(form);
  return parts.join('-').replace(/[^A-Za-z0-9._-]/gu, '_');
}

/** Several problems as one line: the count, then each numbered (capped at 20). */
export function joinProblems(problems: readonly string[]): string {
  if (problems.length === 1) return problems[0];
  const shown = problems.slice(0, 20).map((p, i) => `(${i + 1}) ${p}`);
  return `${problems.length} problems: ${shown.join('; ')}${problems.length > 20 ? `; … and ${problems.length - 20} more` : ''}`;
}
