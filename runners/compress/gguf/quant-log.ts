/**
 * Reads llama.cpp's quantization log (what `llama_model_quantize` prints through its default
 * logger, to stderr): the per-tensor lines, the fallback warnings and the fallback count.
 * Formats are those of src/llama-quant.cpp in llama.cpp v0.5.0 (node-llama-cpp 3.22.1); the
 * caller cross-checks every parsed figure against the output file, so a format change fails
 * loudly instead of hiding a fallback.
 */

/** One tensor as the log reports it. */
export interface LoggedTensor {
  readonly name: string;
  /** ggml type name in the source file, upper case (`F32`). */
  readonly sourceType: string;
  /** Type it was converted to, upper case; undefined when copied unchanged (norms, 1-D). */
  readonly convertedTo?: string;
}

/** A tensor whose row length did not fit the block of the type llama.cpp chose for it. */
export interface GgufFallback {
  readonly tensor: string;
  /** ne[0], the row length. */
  readonly ncols: number;
  /** Block size the chosen type needs. */
  readonly blockSize: number;
  /** The type llama.cpp chose for this tensor (upper case, e.g. `Q4_K`). */
  readonly requestedType: string;
  /** What it wrote instead (upper case, e.g. `Q5_0`, or `F16` when no quant fits). */
  readonly fallbackType: string;
}

/** Everything read from one log. */
export interface QuantLog {
  readonly tensors: ReadonlyMap<string, LoggedTensor>;
  readonly fallbacks: readonly GgufFallback[];
  /** From "N of M tensor(s) required fallback quantization"; 0 when that line is absent. */
  readonly reportedFallbacks: number;
  /** From "have importance matrix data with N entries"; undefined without an imatrix. */
  readonly imatrixEntries?: number;
  /** Tensors "did not find weights for" (quantized without imatrix data). */
  readonly imatrixMissing: readonly string[];
  /** The "failed to quantize: …" reason, when llama.cpp reported one. */
  readonly failure?: string;
}

const FALLBACK = /^warning: (\S+)\s+- ncols\s+(\d+) not divisible by\s+(\d+) \(required for type\s+(\S+)\) (?:\(WARNING: must use F16 due to unusual shape\) )?-> falling back to\s+(\S+)/gm;
// A tensor line can be split by "====== … did not find weights" notes printed in its middle.
const TENSOR = /^\[\s*\d+\/\s*\d+\]\s+(\S+)\s+- \[[^\]]*\], type =\s+(\S+),/gm;
const CONVERTED = /converting to (\S+) \.\./;

/** Parses the full text of one quantization log. */
export function parseQuantLog(text: string): QuantLog {
  const fallbacks: GgufFallback[] = [];
  for (const m of text.matchAll(FALLBACK)) {
    fallbacks.push({ tensor: m[1]!, ncols: Number(m[2]), blockSize: Number(m[3]), requestedType: m[4]!.toUpperCase(), fallbackType: m[5]!.toUpperCase() });
  }
  const heads = [...text.matchAll(TENSOR)];
  const tensors = new Map<string, LoggedTensor>();
  heads.forEach((m, i) => {
    const end = i + 1 < heads.length ? heads[i + 1]!.index! : text.length;
    const converted = CONVERTED.exec(text.slice(m.index!, end));
    const t: LoggedTensor = { name: m[1]!, sourceType: m[2]!.toUpperCase(), ...(converted ? { convertedTo: converted[1]!.toUpperCase() } : {}) };
    tensors.set(t.name, t);
  });
  const count = /(\d+) of (\d+) tensor\(s\) required fallback quantization/.exec(text);
  const entries = /have importance matrix data with (\d+) entries/.exec(text);
  const failure = /failed to quantize: (.*)/.exec(text);
  return {
    tensors,
    fallbacks,
    reportedFallbacks: count ? Number(count[1]) : 0,
    ...(entries ? { imatrixEntries: Number(entries[1]) } : {}),
    imatrixMissing: [...text.matchAll(/did not find weights for (\S+)/g)].map((m) => m[1]!),
    ...(failure ? { failure: failure[1]!.trim() } : {}),
  };
}
