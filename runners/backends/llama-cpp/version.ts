import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed node-llama-cpp version (its package.json), or `unknown`. Resolved, never
 * imported: callers that only need the version (the self-check's machine key) do not pay
 * for loading llama.cpp.
 */
export function nodeLlamaCppVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
    return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
