/**
 * Test-only: llama.cpp's own quantizer (llama_model_quantize from the libllama that
 * node-llama-cpp ships, through koffi) to make Q4_0/Q8_0 GGUF files from an F32 one.
 * `pure` gives every matrix the one type (token_embd and output included).
 */
import { join } from 'node:path';
import { llamaBinDir } from '../formats/gguf/ggml-oracle.js';

/** llama_ftype values used here (Q4_K is MOSTLY_Q4_K_M, all Q4_K when pure). */
export const LLAMA_FTYPE = { Q4_0: 2, Q8_0: 7, Q5_1: 9, Q4_K: 15 } as const;

type Quantize = (input: string, output: string, ftype: number) => void;
let loaded: Quantize | undefined;

/** Quantizes `input` into `output`; false when the library is not installed. */
export async function quantizeGguf(input: string, output: string, ftype: number): Promise<boolean> {
  loaded ??= await load();
  if (!loaded) return false;
  loaded(input, output, ftype);
  return true;
}

async function load(): Promise<Quantize | undefined> {
  const dir = llamaBinDir();
  if (!dir) return undefined;
  const koffi = (await import('koffi')).default;
  const lib = koffi.load(join(dir, 'libllama.v0.5.0.so'));
  const Params = koffi.struct('llama_model_quantize_params_t', {
    nthread: 'int32_t', ftype: 'int', output_tensor_type: 'int', token_embedding_type: 'int',
    allow_requantize: 'bool', quantize_output_tensor: 'bool', only_copy: 'bool', pure: 'bool', keep_split: 'bool', dry_run: 'bool',
    imatrix: 'void *', kv_overrides: 'void *', tt_overrides: 'void *', prune_layers: 'void *', max_buf_size: 'size_t',
  });
  const defaults = lib.func('llama_model_quantize_params_t llama_model_quantize_default_params()');
  // llama.cpp logs every tensor it converts; a no-op logger keeps test output readable
  const LogCallback = koffi.proto('void compbench_llama_log_cb(int level, const char *text, void *user)');
  const silent = koffi.register(() => {}, koffi.pointer(LogCallback));
  const setLog = lib.func('void llama_log_set(compbench_llama_log_cb *cb, void *user)');
  const quantize = lib.func('uint32_t llama_model_quantize(const char *fname_inp, const char *fname_out, const llama_model_quantize_params_t *params)');
  return (input, output, ftype) => {
    setLog(silent, null);
    const params = { ...(defaults() as Record<string, unknown>), nthread: 1, ftype, pure: true };
    const rc = quantize(input, output, params) as number;
    if (rc !== 0) throw new Error(`llama_model_quantize returned ${rc}`);
  };
}
