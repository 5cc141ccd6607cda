/** The CI recipes in examples/ci/ are valid YAML, and every compbench command line in them parses. */
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { packagePath } from '../../core/paths.js';
import { compbenchArgs, shellCommands, shownCommandProblems } from '../docs/command-lines.js';

const dir = packagePath('examples', 'ci');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/u.test(f)).sort();
const scripts = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Keys whose values are shell: a GitHub Actions step's `run`, a GitLab job's scripts. */
const SHELL_KEYS = new Set(['run', 'script', 'before_script', 'after_script']);

/** Every shell string of a parsed YAML document (names, descriptions and `with:` inputs are not shell). */
function shellStrings(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return SHELL_KEYS.has(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => shellStrings(v, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shellStrings(v, k));
  return [];
}

/** The shell commands of a recipe: every line of every shell string (the rule of ../docs/command-lines.ts). */
function commandsOf(file: string): string[][] {
  const doc = parse(readFileSync(`${dir}/${file}`, 'utf8')) as unknown;
  return shellStrings(doc).flatMap((s) => s.split('\n')).flatMap(shellCommands);
}

test('a GitHub Actions and a GitLab CI recipe for the pull-request gate and the nightly run', () => {
  assert.ok(files.includes('github-pr-gate.yml') && files.includes('github-nightly.yml') && files.includes('gitlab-ci.yml'), files.join(', '));
});

for (const file of files) {
  test(`${file}: YAML, and every compbench command line is accepted by the CLI's parser`, () => {
    const commands = commandsOf(file);
    const compbench = commands.filter((c) => compbenchArgs(c) !== undefined);
    assert.ok(compbench.length >= 1, `${file}: ${compbench.length} compbench commands found`);
    assert.equal(commands.flatMap((c) => shownCommandProblems(c, scripts).map((p) => `${c.join(' ')}: ${p}`)), []);
  });
}

test('the gate recipes keep the report and post the Markdown summary; the nightly ones keep history', () => {
  for (const file of files) {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    if (/gate|gitlab/u.test(file)) {
      assert.match(text, 'report/summary.md', `${file} posts the summary`);
      assert.match(text, /upload-artifact|artifacts:/u, `${file} keeps the report`);
    }
    if (/nightly|gitlab/u.test(file)) {
      assert.match(text, '--history runs/history.sqlite', `${file} appends to the history`);
      assert.match(text, /schedule/u, `${file} runs on a schedule`);
      assert.match(text, /history\.sqlite[\s\S]*--fail-on-regression/u, `${file} fails on a flagged night`);
    }
  }
});

test.run();
