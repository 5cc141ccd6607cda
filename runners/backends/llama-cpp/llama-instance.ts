import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

let instance: Promise<Llama> | undefined;

/**
 * The process's one llama.cpp instance: the prebuilt CPU binaries, never a local build
 * (a build would need a compiler and minutes). Loaded on first use and kept, as
 * node-llama-cpp binds one native library per process.
 */
export function llamaInstance(): Promise<Llama> {
  instance ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
  return instance;
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
