import { EXIT_INVALID_INPUT, InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { listSuites, validateSuitesCommand, writeCrowsPairsSuite, writeGsm8kSuite, writeStarterSuite } from '../../suites/index.js';
import { integerFlag } from './parse-flags.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { SUITES_CONVERT_SPEC, SUITES_INIT_SPEC, SUITES_LIST_SPEC, SUITES_SPEC, SUITES_VALIDATE_SPEC } from '../../core/cli/specs/suites.js';
import { lengthProblems } from './suite-lengths.js';

/** Usage text of `compbench suites`. */
export const SUITES_USAGE = commandUsage(SUITES_SPEC);

/** `compbench suites list|validate|init|convert`. */
export async function suitesCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out(SUITES_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') {
    const { values, positionals } = parseCommandArgs(SUITES_LIST_SPEC, rest);
    if (values.help) return help(SUITES_LIST_SPEC, out);
    const r = listSuites([packagePath('suites'), ...positionals]);
    for (const line of r.lines) out(line);
    return r.exitCode;
  }
  if (sub === 'validate') {
    const { values, positionals } = parseCommandArgs(SUITES_VALIDATE_SPEC, rest);
    if (values.help) return help(SUITES_VALIDATE_SPEC, out);
    if (positionals.length !== 1) throw new InputError(`suites validate takes one PATH (a suite folder, its suite.json or a folder of suites), got ${positionals.length}`);
    const r = validateSuitesCommand(positionals[0]);
    for (const line of r.lines) out(line);
    if (r.exitCode !== 0 || values.model === undefined) return r.exitCode;
    const long = lengthProblems(positionals[0], values.model);
    for (const line of long) out(line);
    out(long.length === 0 ? `every instance fits the context of ${values.model}` : `${long.length} instance(s) do not fit the context of ${values.model}`);
    return long.length === 0 ? 0 : EXIT_INVALID_INPUT;
  }
  if (sub === 'convert') return convert(rest, out);
  if (sub === 'init') return init(rest, out);
  throw new InputError(`unknown subcommand 'suites ${sub}'; available: list, validate, init, convert`);
}

const CONVERTERS = ['crows-pairs', 'gsm8k'] as const;

/** Prints a subcommand's help; exit 0. */
function help(spec: Parameters<typeof commandUsage>[0], out: (line: string) => void): number {
  out(commandUsage(spec));
  return 0;
}

function convert(args: readonly string[], out: (line: string) => void): number {
  const { values, positionals } = parseCommandArgs(SUITES_CONVERT_SPEC, args);
  if (values.help) return help(SUITES_CONVERT_SPEC, out);
  const [format] = positionals;
  if (!CONVERTERS.includes(format as (typeof CONVERTERS)[number])) {
    throw new InputError(`suites convert: unknown format '${format ?? ''}'; available: ${CONVERTERS.join(', ')}`);
  }
  if (!values.in || !values.out) throw new InputError(`suites convert ${format}: --in FILE and --out DIR are required`);
  const limit = values.limit === undefined ? undefined : integerFlag('limit', values.limit, 0);
  const file =
    format === 'gsm8k'
      ? writeGsm8kSuite(values.in, values.out, { limit, ...(values.shots ? { fewShot: { k: integerFlag('shots', values.shots, 0), holdOut: 50 } } : {}) })
      : writeCrowsPairsSuite(values.in, values.out, { limit });
  out(`wrote ${file}`);
  return 0;
}

function init(args: readonly string[], out: (line: string) => void): number {
  const { values, positionals } = parseCommandArgs(SUITES_INIT_SPEC, args);
  if (values.help) return help(SUITES_INIT_SPEC, out);
  if (positionals.length !== 1 || !values.kind) throw new InputError('suites init: usage: compbench suites init DIR --kind generate|multiple_choice|rolling|pair [--id ID] [--role ROLE]');
  const lines = writeStarterSuite(positionals[0], {
    kind: values.kind,
    ...(values.id ? { id: values.id } : {}),
    ...(values.role ? { role: values.role } : {}),
    ...(values['closed-book-twin'] ? { closedBookTwin: values['closed-book-twin'] } : {}),
  });
  for (const line of lines) out(line);
  return 0;
}
