/**
 * Test-only write faults. `COMPBENCH_TEST_WRITE_FAULT=CODE:SUBSTRING[,CODE:SUBSTRING…]`
 * makes every write through `core/atomic-write.ts` whose path contains SUBSTRING fail
 * with the errno CODE (ENOSPC, EACCES, EROFS, EIO…), so tests can fill a disk or make a
 * folder read-only without root mounts (chmod does not stop root). Never set by configs.
 */

/** The variable tests set. */
export const WRITE_FAULT_ENV = 'COMPBENCH_TEST_WRITE_FAULT';

/** The errno a write to `path` must fail with, or undefined (the normal case). */
export function injectedWriteFault(path: string, env: string | undefined = process.env[WRITE_FAULT_ENV]): string | undefined {
  if (!env) return undefined;
  for (const entry of env.split(',')) {
    const at = entry.indexOf(':');
    if (at <= 0) continue;
    const substring = entry.slice(at + 1);
    if (substring !== '' && path.includes(substring)) return entry.slice(0, at);
  }
  return undefined;
}

/** An error shaped like the one Node's fs throws for `code`. */
export function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected test fault, ${syscall} '${path}'`);
  e.code = code;
  e.syscall = syscall;
  e.path = path;
  return e;
}
