import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT_INVALID_INPUT } from '../core/errors.js';
import { DEFAULT_SUITE_ROLE } from '../core/suite-roles.js';
import { validateSuite } from './load.js';
import type { SuiteSpec } from './spec.js';

/** Printable output of a command and its exit code (the CLI prints and exits). */
export interface CommandResult {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

/** The suite folders under `dir`: the folder itself when it holds suite.json, else its subfolders that do. */
export function findSuiteDirs(dir: string): string[] {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'suite.json'))) return [abs];
  return readdirSync(abs)
    .sort()
    .map((name) => join(abs, name))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'suite.json')));
}

/**
 * `compbench suites list`: one line per suite found in `dirs` (id@version, kind, n,
 * metrics, path); an invalid suite is listed with its first problem. Exit 2 when a
 * folder is missing or a suite is invalid.
 */
export function listSuites(dirs: readonly string[]): CommandResult {
  const lines: string[] = [];
  let exitCode = 0;
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      lines.push(`${dir}: not a folder — give a folder of suites or a suite folder`);
      exitCode = EXIT_INVALID_INPUT;
      continue;
    }
    const found = findSuiteDirs(dir);
    if (found.length === 0) lines.push(`${resolve(dir)}: no suites (no suite.json in it or its subfolders)`);
    for (const suiteDir of found) {
      const v = validateSuite(suiteDir);
      if (v.suite) {
        const { spec } = v.suite;
        lines.push(`${spec.id}@${spec.version}  ${spec.kind}  role=${spec.role ?? DEFAULT_SUITE_ROLE}  n=${v.suite.instances.length}  metrics=${spec.metrics.join(',')}  ${suiteDir}`);
      } else {
        lines.push(`INVALID ${suiteDir}: ${v.problems[0]}${v.problemCount > 1 ? ` (+${v.problemCount - 1} more)` : ''}`);
        exitCode = EXIT_INVALID_INPUT;
      }
    }
  }
  return { lines, exitCode };
}

/**
 * `compbench suites validate PATH`: every problem of every suite at PATH (a suite folder,
 * its suite.json, or a folder of suites), one per line, then a verdict. Exit 0 when all
 * are valid, 2 otherwise.
 */
export function validateSuitesCommand(path: string): CommandResult {
  if (!existsSync(path)) return { lines: [`${path}: not found — give a suite folder, its suite.json or a folder of suites`], exitCode: EXIT_INVALID_INPUT };
  const targets = statSync(path).isDirectory() ? findSuiteDirs(path) : [path];
  if (targets.length === 0) return { lines: [`${resolve(path)}: no suite.json in it or its subfolders`], exitCode: EXIT_INVALID_INPUT };
  const lines: string[] = [];
  let bad = 0;
  for (const target of targets) {
    const v = validateSuite(target);
    if (v.suite) {
      const { spec } = v.suite;
      lines.push(`ok ${spec.id}@${spec.version}: ${v.suite.instances.length} instances, kind ${spec.kind}, role ${spec.role ?? DEFAULT_SUITE_ROLE} (${v.file})`);
      if (spec.role === undefined) lines.push(`hint ${spec.id}: no "role", so reports and the default gate treat it as 'other': ${roleHint(spec)}`);
    } else {
      bad++;
      lines.push(...v.problems);
    }
  }
  const total = targets.length;
  lines.push(bad === 0 ? `${total} suite${total === 1 ? '' : 's'} valid` : `${bad} of ${total} suite${total === 1 ? '' : 's'} invalid`);
  return { lines, exitCode: bad === 0 ? 0 : EXIT_INVALID_INPUT };
}

/** A role a suite without one probably has, from its kind and metrics, as a suggestion line. */
export function roleHint(spec: SuiteSpec): string {
  const guess =
    spec.kind === 'pair' ? 'fairness-pairs'
    : spec.kind === 'rolling' ? (spec.targetsField ? 'rare-words' : 'perplexity')
    : spec.fewShot || spec.metrics.includes('numeric') ? 'reasoning'
    : undefined;
  return `${guess ? `perhaps "role": "${guess}"` : 'add a "role"'} (the roles are in suites/FORMAT.md)`;
}
