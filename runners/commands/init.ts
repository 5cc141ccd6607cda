/** `compbench init [DIR]`: a starter run config and gate policy that run as they are. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { STARTER_CONFIG_FILE, STARTER_POLICY_FILE, starterConfig, starterPolicy } from '../init/starter-files.js';
import { starterJson } from '../init/starter-json.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { INIT_SPEC } from '../../core/cli/specs/init.js';

/** `compbench init [DIR]`: writes DIR/compbench.config.json and DIR/gate-policy.json, never over existing files; returns the exit code. */
export async function initCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(INIT_SPEC, args);
  if (values.help) {
    out(commandUsage(INIT_SPEC));
    return 0;
  }
  if (positionals.length > 1) throw new InputError(`init takes one DIR, got ${positionals.length} (${positionals.join(' ')}); see 'compbench init --help'`);
  const dir = resolve(positionals[0] ?? '.');
  const files = [join(dir, STARTER_CONFIG_FILE), join(dir, STARTER_POLICY_FILE)];
  const existing = files.find((f) => existsSync(f));
  if (existing) throw new InputError(`init: ${existing} already exists; init never overwrites — pick another DIR or move the file away`);
  mkdirSync(dir, { recursive: true });
  // 'wx': a file that appeared since the check above is refused, not overwritten.
  writeFileSync(files[0], starterJson(starterConfig(dir)), { flag: 'wx' });
  writeFileSync(files[1], starterJson(starterPolicy(dir)), { flag: 'wx' });
  const fromCwd = relative(process.cwd(), files[0]);
  const shown = fromCwd.startsWith('..') || isAbsolute(fromCwd) ? files[0] : fromCwd;
  out(`wrote ${files[0]} (models, methods, suites; notes in its "$comment")`);
  out(`wrote ${files[1]} (the gate rules it names)`);
  out(`next: compbench run --config ${shown} --out runs/mine`);
  return 0;
}
