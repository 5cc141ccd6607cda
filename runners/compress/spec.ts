/**
 * What to compress and how: a method id with its params (kernels/registry.ts), the
 * execution form, and the packed form's ORT settings. Choosing the form: `packed` where
 * onnxruntime executes it, else `simulated` (DESIGN.md §3).
 */
import { InputError } from '../../core/errors.js';
import type { MethodId, ParamValue } from '../../kernels/index.js';
import type { Int8FormChoice } from './int8-form.js';
import type { TargetMatMul } from './model-graph.js';

/** How a variant runs. */
export type ExecutionForm = 'packed' | 'simulated';

/** A compression request (serializable). */
export interface CompressSpec {
  readonly method: MethodId;
  /** Method params as in the registry (defaults filled in by validateParams). */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Default: packed when the method/params have a packed form, else simulated. */
  readonly form?: ExecutionForm;
  /** MatMulNBits accuracy_level (0 = fp32 compute, 4 = int8 activations); default 4. */
  readonly accuracyLevel?: number;
  /** W8A8 MatMulInteger operands; default: chosen from this CPU's flags (int8-form.ts). Part of the variant's cache key. */
  readonly int8?: Int8FormChoice;
  /** Also compress the output head (lm_head). Default false. */
  readonly includeHead?: boolean;
}

/** MatMulNBits bit widths onnxruntime's CPU kernel runs (1.30 refuses 3, 5, 6, 7). */
export const NBITS_RUNNABLE = [2, 4, 8] as const;

/** Default MatMulNBits accuracy_level: int8 activations, the fast CPU path. */
export const DEFAULT_ACCURACY_LEVEL = 4;

/** Largest block used for a per-channel (one group per column) MatMulNBits weight. */
const MAX_CHANNEL_BLOCK = 128;

/**
 * MatMulNBits block_size for a group: the group itself when it is a power of 2 ≥ 16;
 * for one group per column ('channel'/'tensor'), the smallest power of 2 ≥ K capped at
 * 128 (blocks share the column's grid; the last one is padded). Undefined: not packable.
 */
export function nbitsBlockSize(group: ParamValue, K: number): number | undefined {
  if (group === 'channel' || group === 'tensor') return Math.max(16, Math.min(MAX_CHANNEL_BLOCK, 2 ** Math.ceil(Math.log2(K))));
  if (typeof group === 'number' && group >= 16 && Number.isInteger(Math.log2(group))) return group;
  return undefined;
}

/**
 * Why the spec has no packed form on these targets, or undefined when it has one.
 * `params` are the validated params.
 */
export function packedUnavailable(method: MethodId, params: Readonly<Record<string, ParamValue>>, targets: readonly TargetMatMul[]): string | undefined {
  switch (method) {
    case 'rtn':
    case 'gptq':
    case 'awq': {
      const bits = params.bits as number;
      if (!(NBITS_RUNNABLE as readonly number[]).includes(bits)) return `onnxruntime's MatMulNBits runs ${NBITS_RUNNABLE.join('/')}-bit weights only, not ${bits}-bit`;
      for (const t of targets) {
        if (nbitsBlockSize(params.group, t.K) === undefined) return `MatMulNBits needs a group that is a power of 2 ≥ 16 (or per-channel), got ${params.group}`;
      }
      if (method === 'gptq' && params.actOrder === true && params.group !== 'channel' && params.staticGroups !== true) {
        return 'GPTQ act-order with groups reorders the groups along K, which MatMulNBits cannot express (use staticGroups or per-channel)';
      }
      return undefined;
    }
    case 'smoothquant':
    case 'structured':
    case 'llm-int8':
    case 'flap':
      return undefined;
    case 'nf4':
      return 'NF4 codes have no onnxruntime CPU kernel here (MatMulNBits is uniform integer)';
    case 'magnitude':
    case 'wanda':
    case 'nm':
    case 'fairprune':
      return 'sparse weights have no onnxruntime CPU sparse kernel; they run as dense fp32 with zeros';
    case 'kv-cache':
      return 'the KV cache is quantized then dequantized to fp32 between decode steps; no quantized-cache kernel runs';
    case 'gguf':
      return undefined;
  }
}

/** The form to build: the requested one (InputError when impossible), else packed when available. */
export function resolveForm(spec: CompressSpec, unavailable: string | undefined): ExecutionForm {
  if (spec.form === undefined) return unavailable === undefined ? 'packed' : 'simulated';
  if (spec.form !== 'packed' && spec.form !== 'simulated') throw new InputError(`form must be 'packed' or 'simulated', got '${String(spec.form)}'`);
  if (spec.form === 'packed' && unavailable !== undefined) throw new InputError(`${spec.method}: no packed form: ${unavailable}; use --form simulated`);
  return spec.form;
}

/** Checks the accuracy level (MatMulNBits: 0–4). */
export function checkAccuracyLevel(level: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 4) throw new InputError(`accuracy level must be an integer from 0 to 4 (MatMulNBits accuracy_level), got ${level}`);
  return level;
}
