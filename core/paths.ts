import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository (package) root, found by walking up from this file to the first
 * folder holding package.json. Works from sources and from the compiled `dist/` tree.
 */
export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && !dir.endsWith('dist')) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`compbench: no package.json above ${start}`);
    dir = up;
  }
}

/** Absolute path of a file inside the package, e.g. `packagePath('datasets', 'models', 'teacher')`. */
export function packagePath(...parts: string[]): string {
  return resolve(PACKAGE_ROOT, ...parts);
}

/**
 * Where the external test artifacts live (`../shared/external` beside the checkout),
 * or `undefined` when absent: a user's clone has none, and tests that need it skip
 * with a visible notice.
 */
export function sharedExternalDir(): string | undefined {
  const dir = resolve(PACKAGE_ROOT, '..', 'shared', 'external');
  return existsSync(dir) ? dir : undefined;
}
