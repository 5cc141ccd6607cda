/**
 * The koffi binding to libllama's quantizer (`llama_model_quantize`), loaded lazily once per
 * process. The struct layout is written by hand from include/llama.h of one llama.cpp build,
 * so loading is refused unless the installed node-llama-cpp is that build, and the defaults
 * libllama reports are compared field by field with llama-quant.cpp's: a layout drift stops
 * here instead of corrupting memory. Run only inside the quantization child process
 * (quantize-child.ts), where a native abort cannot take compbench down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Koffi from 'koffi';
import { InputError } from '../../../core/errors.js';

/** The node-llama-cpp release whose llama.h the struct below was written for. */
export const EXPECTED_NODE_LLAMA_CPP = '3.22.1';
/** The llama.cpp release node-llama-cpp 3.22.1 names in _nlcBuildMetadata.json. */
export const EXPECTED_LLAMA_CPP_RELEASE = 'v0.5.0';

/** `GGML_TYPE_COUNT` in that release's ggml.h: the "not set" value of the two type fields. */
const GGML_TYPE_COUNT = 43;

/**
 * llama_model_quantize_default_params() of that release (src/llama-quant.cpp), field by field.
 * Pointers are null; max_buf_size is LLAMA_QUANT_MAX_BUF_SIZE (8 GiB).
 */
export const EXPECTED_DEFAULTS = {
  nthread: 0,
  ftype: 7,
  output_tensor_type: GGML_TYPE_COUNT,
  token_embedding_type: GGML_TYPE_COUNT,
  allow_requantize: false,
  quantize_output_tensor: true,
  only_copy: false,
  pure: false,
  keep_split: false,
  dry_run: false,
  imatrix: null,
  kv_overrides: null,
  tt_overrides: null,
  prune_layers: null,
  max_buf_size: 8 * 1024 * 1024 * 1024,
} as const;

/** Bytes and field offsets of the struct on x86-64 (4 ints, 6 bools, 2 pad, 4 pointers, size_t). */
export const EXPECTED_LAYOUT = { size: 64, imatrix: 24, max_buf_size: 56, imatrixEntrySize: 24 } as const;

/** One entry of the `llama_model_imatrix_data` array (the array ends with a null name). */
export interface ImatrixEntry {
  /** GGUF tensor name, e.g. `blk.0.attn_q.weight`. */
  readonly name: string;
  /** Length n_per_row (× n_expert for 3-D expert tensors). */
  readonly data: Float32Array;
}

/** What compbench sets; every other field keeps libllama's default. */
export interface QuantizeCall {
  readonly ftype: number;
  /** 0 lets llama.cpp use every hardware thread. */
  readonly nthread: number;
  readonly imatrix?: readonly ImatrixEntry[];
}

/** The loaded library. */
export interface LlamaQuantizeBinding {
  /** node-llama-cpp version and llama.cpp release that were checked at load. */
  readonly versions: { readonly nodeLlamaCpp: string; readonly llamaCpp: string };
  /** koffi's view of the struct: size and the offsets the test pins. */
  readonly layout: { readonly size: number; readonly imatrix: number; readonly max_buf_size: number; readonly imatrixEntrySize: number };
  /** llama_model_quantize_default_params(), as decoded through the struct. */
  defaults(): Record<string, unknown>;
  /** llama_model_quantize(input, output, params): 0 on success (the reason is in the log). */
  quantize(input: string, output: string, call: QuantizeCall): number;
}

/** The folder node-llama-cpp is installed in, and the linux-x64 binaries folder. */
export function nodeLlamaCppPaths(): { readonly packageDir: string; readonly binsDir: string } {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths('node-llama-cpp') ?? []) {
    const packageDir = join(base, 'node-llama-cpp');
    if (!existsSync(join(packageDir, 'package.json'))) continue;
    const binsDir = join(base, '@node-llama-cpp', 'linux-x64', 'bins', 'linux-x64');
    if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(binsDir)) {
      throw new InputError(`llama.cpp quantization needs the @node-llama-cpp/linux-x64 binaries (not found beside ${packageDir} for ${process.platform}-${process.arch}): run 'npm install' on linux-x64`);
    }
    return { packageDir, binsDir };
  }
  throw new InputError("llama.cpp quantization needs node-llama-cpp (not installed): run 'npm install'");
}

/** Refuses any node-llama-cpp or llama.cpp release other than the one the struct layout was written for. */
export function checkReleases(packageDir: string, binsDir: string): { nodeLlamaCpp: string; llamaCpp: string } {
  const readJson = (path: string): unknown => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new InputError(`${path}: cannot read the node-llama-cpp release (${(e as Error).message}): reinstall node-llama-cpp@${EXPECTED_NODE_LLAMA_CPP} with 'npm install'`);
    }
  };
  const nodeLlamaCpp = String((readJson(join(packageDir, 'package.json')) as { version?: unknown }).version);
  const meta = readJson(join(binsDir, '_nlcBuildMetadata.json')) as { buildOptions?: { llamaCpp?: { release?: unknown } } };
  const llamaCpp = String(meta.buildOptions?.llamaCpp?.release);
  if (nodeLlamaCpp !== EXPECTED_NODE_LLAMA_CPP || llamaCpp !== EXPECTED_LLAMA_CPP_RELEASE) {
    throw new InputError(`node-llama-cpp ${nodeLlamaCpp} (llama.cpp ${llamaCpp}) is installed, but compbench's llama_model_quantize_params layout was written for node-llama-cpp ${EXPECTED_NODE_LLAMA_CPP} (llama.cpp ${EXPECTED_LLAMA_CPP_RELEASE}): install node-llama-cpp@${EXPECTED_NODE_LLAMA_CPP} or update runners/compress/gguf/llama-quantize.ts from the new llama.h`);
  }
  return { nodeLlamaCpp, llamaCpp };
}

/** The fields whose decoded default differs from {@link EXPECTED_DEFAULTS}, as `name=value (expected x)`. */
export function defaultsMismatches(actual: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(EXPECTED_DEFAULTS)) {
    const a = actual[k];
    const same = typeof v === 'number' ? Number(a) === v : a === v;
    if (!same) out.push(`${k}=${String(a)} (expected ${String(v)})`);
  }
  return out;
}

let loaded: LlamaQuantizeBinding | undefined;

/** Loads libllama once, checks releases, layout and defaults (InputError on any drift). */
export function llamaQuantize(): LlamaQuantizeBinding {
  if (loaded) return loaded;
  const { packageDir, binsDir } = nodeLlamaCppPaths();
  const versions = checkReleases(packageDir, binsDir);
  const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
  const lib = koffi.load(join(binsDir, `libllama.${EXPECTED_LLAMA_CPP_RELEASE}.so`));
  const Entry = koffi.struct('compbench_llama_model_imatrix_data', { name: 'const char *', data: 'const float *', size: 'size_t' });
  const Params = koffi.struct('compbench_llama_model_quantize_params', {
    nthread: 'int32_t',
    ftype: 'int', // enum llama_ftype
    output_tensor_type: 'int', // enum ggml_type
    token_embedding_type: 'int',
    allow_requantize: 'bool',
    quantize_output_tensor: 'bool',
    only_copy: 'bool',
    pure: 'bool',
    keep_split: 'bool',
    dry_run: 'bool',
    imatrix: koffi.pointer(Entry),
    kv_overrides: 'void *',
    tt_overrides: 'void *',
    prune_layers: 'const int32_t *',
    max_buf_size: 'size_t',
  });
  const defaultsFn = lib.func('compbench_llama_model_quantize_params llama_model_quantize_default_params()');
  const quantizeFn = lib.func('uint32_t llama_model_quantize(const char *, const char *, const compbench_llama_model_quantize_params *)');
  const layout = {
    size: koffi.sizeof(Params),
    imatrix: koffi.offsetof(Params, 'imatrix'),
    max_buf_size: koffi.offsetof(Params, 'max_buf_size'),
    imatrixEntrySize: koffi.sizeof(Entry),
  };
  const defaults = (): Record<string, unknown> => defaultsFn() as Record<string, unknown>;
  const drift = [
    ...Object.entries(EXPECTED_LAYOUT).filter(([k, v]) => layout[k as keyof typeof layout] !== v).map(([k, v]) => `${k}=${layout[k as keyof typeof layout]} (expected ${v})`),
    ...defaultsMismatches(defaults()),
  ];
  if (drift.length > 0) {
    throw new InputError(`libllama ${versions.llamaCpp}: llama_model_quantize_params does not match the layout written for llama.cpp ${EXPECTED_LLAMA_CPP_RELEASE} (${drift.join(', ')}): update runners/compress/gguf/llama-quantize.ts from the installed llama.h`);
  }
  loaded = {
    versions,
    layout,
    defaults,
    quantize(input, output, call) {
      const params: Record<string, unknown> = { ...defaults(), ftype: call.ftype, nthread: call.nthread };
      if (call.imatrix) {
        // koffi copies this array into native memory for the duration of the call; the null name ends it.
        params.imatrix = [...call.imatrix.map((e) => ({ name: e.name, data: e.data, size: e.data.length })), { name: null, data: null, size: 0 }];
      }
      return quantizeFn(input, output, params) as number;
    },
  };
  return loaded;
}
