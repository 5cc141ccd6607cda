/**
 * The error constructors of compbench, in one place (STYLE.md principle 7).
 *
 * - {@link InputError}: the user gave something we cannot use (a file, a field, a limit).
 *   The CLI prints its one-line message and exits 2. The message names the file, field
 *   or limit and says how to fix it.
 * - {@link InfraError}: something outside the user's input broke (a worker crashed,
 *   the disk is full). The CLI prints one line and exits 3 unless a caller records it
 *   as a failed item or cell (failed items are values, not exceptions).
 */

/** Exit code for invalid input (bad config, model folder, suite, arguments). */
export const EXIT_INVALID_INPUT = 2;
/** Exit code for an infrastructure failure or an incomplete run. */
export const EXIT_INFRA = 3;

/** Bad input from the user: one line, names the file/field/limit and the fix. Exit 2. */
export class InputError extends Error {
  /** The process exit code the CLI uses for this error. */
  readonly exitCode = EXIT_INVALID_INPUT;
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'InputError';
  }
}

/** A failure of the machinery (worker crash, I/O), not of the user's input. */
export class InfraError extends Error {
  /** The process exit code the CLI uses for this error. */
  readonly exitCode = EXIT_INFRA;
  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
    this.name = 'InfraError';
  }
}

/** True when `e` is one of our own errors (safe to print without a stack trace). */
export function isCompbenchError(e: unknown): e is InputError | InfraError {
  return e instanceof InputError || e instanceof InfraError;
}

/** Collapses whitespace and newlines so every message stays on one line. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** The message of any thrown value, on one line. */
export function messageOf(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e));
}
