/** Helpers for tests that run the compiled CLI as a child process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

/** `<outDir>/cli.js`, whatever the out dir is called (this file is `<outDir>/test/cli-helpers.js`). */
export const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

/** What one CLI invocation returned. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <outDir>/cli.js ...args` with COMPBENCH_DEBUG off (no stack traces). */
export function cli(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, COMPBENCH_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run failed with exit `code` (default 2), printed nothing on stdout and one `compbench:` line matching `pattern` on stderr. */
export function assertOneLineError(r: CliResult, pattern: RegExp, code = 2): void {
  assert.is(r.code, code, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^compbench: [^\n]+\n$/);
  assert.match(r.stderr, pattern);
}
