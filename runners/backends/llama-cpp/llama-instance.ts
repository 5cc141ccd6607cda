import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

let instance: Promise<Llama> | undefined;

/** llama.cpp's recent error log lines (it explains a failed load only there, e.g. "unknown model architecture: 'x'"). */
const recentErrors: string[] = [];
const KEEP_ERRORS = 8;

/**
 * The process's one llama.cpp instance: the prebuilt CPU binaries, never a local build
 * (a build would need a compiler and minutes). Loaded on first use and kept, as
 * node-llama-cpp binds one native library per process.
 */
export function llamaInstance(): Promise<Llama> {
  instance ??= getLlama({
    gpu: false,
    build: 'never',
    logLevel: LlamaLogLevel.error,
    progressLogs: false,
    // kept for the InputError of a failed load instead of printed: the error says it in one line
    logger: (_level, message) => {
      recentErrors.push(message.trim());
      if (recentErrors.length > KEEP_ERRORS) recentErrors.shift();
    },
  });
  return instance;
}

/** The first llama.cpp error logged since the last call (then forgotten), or undefined. */
export function takeLlamaError(): string | undefined {
  const first = recentErrors.find((l) => l !== '');
  recentErrors.length = 0;
  return first;
}

/**
 * Which `libggml-cpu-<variant>.so` the loader picked for this CPU (`zen4`, `haswell`,
 * `skylakex`, …), read from /proc/self/maps after loading; `unknown` where that file is
 * unreadable or no such library is mapped.
 */
export function loadedCpuVariant(): string {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return 'unknown';
  }
  for (const line of maps.split('\n')) {
    const m = /libggml-cpu-([A-Za-z0-9_]+)\.so/.exec(basename(line.trim().split(/\s+/).pop() ?? ''));
    if (m) return m[1];
  }
  return 'unknown';
}

export { nodeLlamaCppVersion } from './version.js';
