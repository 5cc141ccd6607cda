/**
 * Test-only access to the ggml library node-llama-cpp ships (libggml-base.so through
 * koffi): its own quantizer (ggml_quantize_chunk) and dequantizer (type_traits.to_float),
 * the oracle the TypeScript dequantizers must equal bit for bit. Undefined when the
 * binary is not installed.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** ggml's quantize and dequantize for one type. */
export interface GgmlOracle {
  /** float32 rows (nRows × nPerRow) -> blocks of `typeId`. */
  quantize(typeId: number, x: Float32Array, nRows: number, nPerRow: number, typeSize: number, blockSize: number): Uint8Array;
  /** Blocks of `typeId` -> float32 (k values). */
  dequantize(typeId: number, blocks: Uint8Array, k: number): Float32Array;
}

/** Folder of node-llama-cpp's prebuilt linux-x64 binaries, or undefined. */
export function llamaBinDir(): string | undefined {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve('node-llama-cpp'));
  } catch {
    return undefined;
  }
  // node_modules/node-llama-cpp/dist -> node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
  const dir = join(root, '..', '..', '@node-llama-cpp', 'linux-x64', 'bins', 'linux-x64');
  return existsSync(join(dir, 'libggml-base.so')) ? dir : undefined;
}

let cached: Promise<GgmlOracle | undefined> | undefined;

/** The oracle, or undefined (prints nothing: callers print their SKIP line). */
export function ggmlOracle(): Promise<GgmlOracle | undefined> {
  cached ??= load();
  return cached;
}

async function load(): Promise<GgmlOracle | undefined> {
  const dir = llamaBinDir();
  if (!dir) return undefined;
  const koffi = (await import('koffi')).default;
  const lib = koffi.load(join(dir, 'libggml-base.so'));
  const toFloat = koffi.proto('void ggml_to_float_t(const void *x, float *y, int64_t k)');
  const Traits = koffi.struct('ggml_type_traits_t', {
    type_name: 'const char *', blck_size: 'int64_t', blck_size_interleave: 'int64_t', type_size: 'size_t', is_quantized: 'bool',
    to_float: koffi.pointer(toFloat), from_float_ref: 'void *',
  });
  const getTraits = lib.func('const ggml_type_traits_t *ggml_get_type_traits(int type)');
  const quantizeChunk = lib.func('size_t ggml_quantize_chunk(int type, const float *src, _Out_ void *dst, int64_t start, int64_t nrows, int64_t n_per_row, const float *imatrix)');
  return {
    quantize(typeId, x, nRows, nPerRow, typeSize, blockSize) {
      const out = new Uint8Array((nRows * nPerRow * typeSize) / blockSize);
      quantizeChunk(typeId, x, out, 0, nRows, nPerRow, null);
      return out;
    },
    dequantize(typeId, blocks, k) {
      const traits = koffi.decode(getTraits(typeId), Traits) as { to_float: unknown };
      const y = new Float32Array(k);
      koffi.call(traits.to_float, toFloat, blocks, y, k);
      return y;
    },
  };
}
