/**
 * Temporary files and folders of dead processes (`<name>.tmp-<pid>`, left by a run that
 * was killed mid-write or mid-compression) are removed when a run starts, so a cache
 * does not grow with debris nobody will finish.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../../core/run-state.js';

const TMP_SUFFIX = /\.tmp-(\d+)$/u;

/**
 * Removes `*.tmp-<pid>` entries of `dirs` (not recursive) whose pid is not alive; returns
 * what was removed. A missing folder is skipped.
 */
export function removeDeadTemps(dirs: readonly string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TMP_SUFFIX.exec(name);
      if (!m || Number(m[1]) === process.pid || isProcessAlive(Number(m[1]))) continue;
      try {
        rmSync(join(dir, name), { recursive: true, force: true });
        removed.push(join(dir, name));
      } catch {
        // unremovable debris is left; it never looks finished (no rename happened)
      }
    }
  }
  return removed;
}
