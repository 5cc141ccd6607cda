/**
 * Quantizes an F32/F16/BF16 GGUF to one llama.cpp type with libllama's own quantizer, in a
 * child process, and returns what was actually written: per-tensor types read back from the
 * output file, every fallback, bits per weight, sizes and times, and llama.cpp's log. The
 * output appears under its final name only once it has been read back and checked.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../../core/atomic-write.js';
import { InfraError, InputError } from '../../../core/errors.js';
import { readGgufFile, type GgufFile } from '../../formats/gguf/index.js';
import { ggufQuantType } from './gguf-types.js';
import { checkImportanceMatrix, type ImportanceMatrix } from './importance-matrix.js';
import { parseQuantLog } from './quant-log.js';
import { buildQuantRecord, type GgufQuantRecord } from './quant-record.js';
import { runQuantizeChild } from './quantize-process.js';

/** Options of {@link quantizeGguf}. */
export interface QuantizeGgufOptions {
  /** Per-tensor importance (importance-matrix.ts); required by the IQ1/IQ2/IQ3_XXS and Q2_K_S types. */
  readonly imatrix?: ImportanceMatrix;
  /** Quantization threads (default 1, so timings on a shared machine stay comparable; 0 = all). */
  readonly threads?: number;
  /** Also write the record as JSON here (atomically). */
  readonly recordFile?: string;
}

const SOURCE_TYPES = new Set(['F32', 'F16', 'BF16']);

/** Refuses a source llama.cpp would requantize: one line naming a quantized tensor. */
export function assertUnquantizedSource(file: GgufFile): void {
  const q = file.tensors.find((t) => !SOURCE_TYPES.has(t.type.name));
  if (q) {
    throw new InputError(`${file.path}: tensor ${q.name} is already quantized (${q.type.name}); requantizing compounds the error: re-export from the F32/F16 model`);
  }
}

/** sha256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (b) => h.update(b)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

function checkThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 0) throw new InputError(`options.threads must be an integer ≥ 0 (0 = all cores), got ${threads}`);
  return threads;
}

/** Quantizes `sourceGguf` to `type`, writing `outFile`; see the module comment. */
export async function quantizeGguf(sourceGguf: string, typeName: string, outFile: string, options: QuantizeGgufOptions = {}): Promise<GgufQuantRecord> {
  const start = performance.now();
  const type = ggufQuantType(typeName);
  const threads = checkThreads(options.threads ?? 1);
  const source = readGgufFile(resolve(sourceGguf));
  assertUnquantizedSource(source);
  const target = resolve(outFile);
  if (target === source.path) throw new InputError(`${outFile}: the output would overwrite the source GGUF: choose another output path`);
  if (type.needsImatrix && !options.imatrix) {
    throw new InputError(`${type.name}: llama.cpp refuses this type without an importance matrix: pass options.imatrix (importanceMatrixForOnnxModel on the ONNX twin) or choose a K-quant such as Q3_K_M`);
  }
  if (options.imatrix) checkImportanceMatrix(options.imatrix, source);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    const imatrix = options.imatrix ? [...options.imatrix.entries].map(([name, data]) => ({ name, data })) : undefined;
    const run = await runQuantizeChild({ input: source.path, output: tmp, call: { ftype: type.ftype, nthread: threads, ...(imatrix ? { imatrix } : {}) } });
    const log = parseQuantLog(run.log);
    if (run.rc !== 0 && log.failure?.startsWith('unknown model architecture')) {
      throw new InputError(`${source.path}: llama.cpp ${run.versions.llamaCpp} cannot quantize it: ${log.failure}: give a GGUF of an architecture this llama.cpp loads (llama for compbench's exports)`);
    }
    if (run.rc !== 0) {
      throw new InfraError(`llama.cpp could not quantize ${source.path} to ${type.name}: ${log.failure ?? `llama_model_quantize returned ${run.rc}`}`);
    }
    if (imatrix && log.imatrixEntries !== imatrix.length) {
      throw new InfraError(`llama.cpp read ${log.imatrixEntries ?? 'no'} importance matrix entries of the ${imatrix.length} passed: the llama_model_imatrix_data layout does not match this libllama`);
    }
    const fd = openSync(tmp, 'r+');
    try { fsyncSync(fd); } finally { closeSync(fd); }
    const written = readGgufFile(tmp);
    const outputSha256 = await sha256File(tmp);
    const record = buildQuantRecord({ ...written, path: target }, log, {
      type,
      source,
      outFile: target,
      outputSha256,
      quantizeMs: run.quantizeMs,
      wallMs: performance.now() - start,
      threads,
      versions: run.versions,
      ...(options.imatrix ? { imatrix: { entries: options.imatrix.entries.size, source: options.imatrix.source } } : {}),
      logLines: run.log.split('\n').filter((l) => l.trim() !== ''),
    });
    renameSync(tmp, target);
    if (options.recordFile) writeFileAtomic(options.recordFile, `${JSON.stringify(record, null, 2)}\n`, { flag: 'recordFile' });
    return record;
  } finally {
    rmSync(tmp, { force: true });
  }
}
