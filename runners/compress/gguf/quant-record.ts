/**
 * The record of one GGUF quantization, built from the output file as read back and from
 * llama.cpp's log. Every figure the log gives is checked against the file: a tensor the log
 * does not describe, a type the file contradicts, or a fallback count llama.cpp reports that
 * the parsed warnings do not add up to, is an InfraError, so no fallback passes silently.
 */
import { InfraError } from '../../../core/errors.js';
import type { GgufFile } from '../../formats/gguf/index.js';
import type { GgufQuantType } from './gguf-types.js';
import { baseGgmlType, nominalBitsPerWeight } from './gguf-types.js';
import type { GgufFallback, QuantLog } from './quant-log.js';

/** One tensor of the output file. */
export interface QuantTensorRecord {
  readonly name: string;
  /** ggml order: dims[0] is the row length. */
  readonly dims: readonly number[];
  readonly sourceType: string;
  /** The type llama.cpp chose for this tensor before any fallback (its own per-tensor rules). */
  readonly requestedType: string;
  /** The type in the output file. */
  readonly actualType: string;
  readonly sizeBytes: number;
}

/**
 * A 2-D tensor whose row length is not a multiple of the file type's base block. llama.cpp
 * either logs a fallback for it or, for the output head, silently picks Q8_0 itself
 * (llama_tensor_get_type_impl: `nx % qk_k != 0`); both end up here.
 */
export interface ShapeLimitedTensor {
  readonly tensor: string;
  readonly ncols: number;
  /** The file type's base ggml type and its block, e.g. Q4_K / 256. */
  readonly baseType: string;
  readonly blockSize: number;
  readonly actualType: string;
  /** True when llama.cpp's log has a fallback warning for it. */
  readonly loggedFallback: boolean;
}

/** What {@link buildQuantRecord} needs besides the file and the log. */
export interface QuantRunFacts {
  readonly type: GgufQuantType;
  readonly source: GgufFile;
  readonly outFile: string;
  readonly outputSha256: string;
  readonly quantizeMs: number;
  readonly wallMs: number;
  readonly threads: number;
  readonly versions: { readonly nodeLlamaCpp: string; readonly llamaCpp: string };
  readonly imatrix?: { readonly entries: number; readonly source: Readonly<Record<string, unknown>> };
  readonly logLines: readonly string[];
}

/** The record of one quantization. */
export interface GgufQuantRecord {
  readonly kind: 'gguf-quant';
  /** llama-quantize name, e.g. `Q4_K_M`. */
  readonly type: string;
  /** `enum llama_ftype` value. */
  readonly ftype: number;
  readonly llamaCpp: { readonly release: string; readonly nodeLlamaCpp: string };
  readonly source: { readonly path: string; readonly sizeBytes: number };
  readonly output: { readonly path: string; readonly sizeBytes: number; readonly sha256: string };
  readonly parameters: number;
  readonly tensors: readonly QuantTensorRecord[];
  /** Tensors whose rows did not fit the chosen type's block, and what was written instead. */
  readonly fallbacks: readonly GgufFallback[];
  /** Every 2-D tensor whose rows do not fit the base type's block, logged by llama.cpp or not. */
  readonly shapeLimited: readonly ShapeLimitedTensor[];
  readonly bitsPerWeight: {
    /** The base type's nominal figure (block bytes × 8 / block). */
    readonly nominal: number;
    /** Bits of the tensors llama.cpp converted, over their elements. */
    readonly quantizedTensors: number;
    /** Output file bytes × 8 over all parameters (metadata and norms included). */
    readonly file: number;
  };
  readonly imatrix: null | {
    readonly entries: number;
    /** Quantized tensors llama.cpp found no entry for (they were quantized without one). */
    readonly missing: readonly string[];
    readonly source: Readonly<Record<string, unknown>>;
  };
  readonly threads: number;
  /** Time inside llama_model_quantize. */
  readonly quantizeMs: number;
  /** Whole call: checks, child process, read-back, hashing. */
  readonly wallMs: number;
  /** llama.cpp's log lines, as printed. */
  readonly log: readonly string[];
}

const elementsOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Joins file and log into the record; InfraError where they disagree. */
export function buildQuantRecord(out: GgufFile, log: QuantLog, facts: QuantRunFacts): GgufQuantRecord {
  const where = `llama.cpp ${facts.type.name} of ${facts.source.path}`;
  const fallbackOf = new Map(log.fallbacks.map((f) => [f.tensor, f]));
  if (log.reportedFallbacks !== log.fallbacks.length) {
    throw new InfraError(`${where}: llama.cpp reports ${log.reportedFallbacks} fallback(s) but ${log.fallbacks.length} were parsed from its log: update runners/compress/gguf/quant-log.ts for this llama.cpp`);
  }
  const tensors = out.tensors.map((t): QuantTensorRecord => {
    const logged = log.tensors.get(t.name);
    if (!logged) throw new InfraError(`${where}: tensor ${t.name} is in the output but not in llama.cpp's log: update runners/compress/gguf/quant-log.ts for this llama.cpp`);
    const written = logged.convertedTo ?? logged.sourceType;
    const fb = fallbackOf.get(t.name);
    if (written !== t.type.name || (fb && fb.fallbackType !== t.type.name)) {
      throw new InfraError(`${where}: ${t.name} is ${t.type.name} in the file but the log says ${fb ? `fallback to ${fb.fallbackType}` : written}: the log and the file disagree`);
    }
    return { name: t.name, dims: t.dims, sourceType: logged.sourceType, requestedType: fb?.requestedType ?? written, actualType: t.type.name, sizeBytes: t.bytes };
  });
  for (const f of log.fallbacks) {
    if (!out.tensors.some((t) => t.name === f.tensor)) throw new InfraError(`${where}: the log names a fallback for ${f.tensor}, which the output does not hold`);
  }
  const base = baseGgmlType(facts.type);
  const shapeLimited = tensors
    .filter((t) => t.dims.length >= 2 && t.dims[0]! % base.blockSize !== 0)
    .map((t): ShapeLimitedTensor => ({ tensor: t.name, ncols: t.dims[0]!, baseType: base.name, blockSize: base.blockSize, actualType: t.actualType, loggedFallback: fallbackOf.has(t.name) }));
  const parameters = out.tensors.reduce((a, t) => a + elementsOf(t.dims), 0);
  const converted = tensors.filter((t) => t.actualType !== t.sourceType);
  const convertedElements = converted.reduce((a, t) => a + elementsOf(t.dims), 0);
  const convertedBytes = converted.reduce((a, t) => a + t.sizeBytes, 0);
  return {
    kind: 'gguf-quant',
    type: facts.type.name,
    ftype: facts.type.ftype,
    llamaCpp: { release: facts.versions.llamaCpp, nodeLlamaCpp: facts.versions.nodeLlamaCpp },
    source: { path: facts.source.path, sizeBytes: facts.source.fileBytes },
    output: { path: facts.outFile, sizeBytes: out.fileBytes, sha256: facts.outputSha256 },
    parameters,
    tensors,
    fallbacks: log.fallbacks,
    shapeLimited,
    bitsPerWeight: {
      nominal: nominalBitsPerWeight(facts.type),
      quantizedTensors: convertedElements > 0 ? (convertedBytes * 8) / convertedElements : 0,
      file: (out.fileBytes * 8) / parameters,
    },
    imatrix: facts.imatrix ? { entries: facts.imatrix.entries, missing: log.imatrixMissing, source: facts.imatrix.source } : null,
    threads: facts.threads,
    quantizeMs: facts.quantizeMs,
    wallMs: facts.wallMs,
    log: facts.logLines,
  };
}
