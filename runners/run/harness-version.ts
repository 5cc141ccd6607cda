import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../core/paths.js';

/** compbench's version (package.json) and the git commit it runs from, when known. */
export function harnessVersion(): { version: string; gitSha: string | null } {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  let gitSha: string | null = null;
  try {
    gitSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packagePath(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    gitSha = null;
  }
  return { version: pkg.version, gitSha };
}
