import { parseArgs } from 'node:util';
import { InputError, messageOf } from '../errors.js';
import { parseArgsOptions, type CommandSpec, type FlagTable, type FlagValues } from './flag-table.js';

/** What a command line parsed to. */
export interface ParsedArgs<F extends FlagTable> {
  readonly values: FlagValues<F>;
  readonly positionals: string[];
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions at cost 1 ("quite" → "quiet" is 1). */
export function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name nearest to `input` by {@link typoDistance} (ties: the longer shared prefix, then alphabetical); undefined when none is known. */
export function closestKnown(input: string, known: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  const prefix = (k: string): number => {
    let n = 0;
    while (n < k.length && n < needle.length && k[n] === needle[n]) n++;
    return n;
  };
  return [...known].sort((a, b) => typoDistance(needle, a.toLowerCase()) - typoDistance(needle, b.toLowerCase()) || prefix(b.toLowerCase()) - prefix(a.toLowerCase()) || a.localeCompare(b))[0];
}

/**
 * Parses `args` against a command's flag table (`node:util` parseArgs, strict). Every
 * problem is one InputError line naming the command: an unknown flag with the closest
 * known one, a missing value, a positional where none is taken. Positional counts are
 * the command's to check (their messages say what the argument is).
 */
export function parseCommandArgs<F extends FlagTable>(spec: CommandSpec & { readonly flags: F }, args: readonly string[]): ParsedArgs<F> {
  try {
    const r = parseArgs({ args: [...args], options: parseArgsOptions(spec.flags), strict: true, allowPositionals: spec.positionals.max > 0 });
    return { values: r.values as FlagValues<F>, positionals: r.positionals };
  } catch (e) {
    const message = messageOf(e).replace(/\. To specify a positional argument.*$/u, '');
    const unknown = /^Unknown option '(-{1,2})([^']*)'/u.exec(message);
    const near = unknown ? closestKnown(unknown[2], [...Object.keys(spec.flags), 'help']) : undefined;
    const hint = near ? ` (did you mean --${near}?)` : '';
    throw new InputError(`${spec.name}: ${message}${hint}; see 'compbench ${spec.name} --help'`);
  }
}
