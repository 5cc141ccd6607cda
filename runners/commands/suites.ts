import { InputError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { listSuites, validateSuitesCommand } from '../../suites/index.js';

/** Usage text of `compbench suites`. */
export const SUITES_USAGE = `usage: compbench suites list [DIR...]      bundled suites and the suites in DIR
       compbench suites validate PATH       every problem of the suite(s) at PATH, with file, line and JSON path`;

/** `compbench suites list|validate`. */
export async function suitesCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out(SUITES_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') {
    const r = listSuites([packagePath('suites'), ...rest]);
    for (const line of r.lines) out(line);
    return r.exitCode;
  }
  if (sub === 'validate') {
    if (rest.length !== 1) throw new InputError(`suites validate takes one PATH (a suite folder, its suite.json or a folder of suites), got ${rest.length}`);
    const r = validateSuitesCommand(rest[0]);
    for (const line of r.lines) out(line);
    return r.exitCode;
  }
  throw new InputError(`unknown subcommand 'suites ${sub}'; available: list, validate`);
}
