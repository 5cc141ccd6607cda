/** Every command shown in README.md and docs/*.md parses (extraction rule: ./command-lines.ts). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { fencedLines, shellCommands, shownCommandProblems, synopsisProblems } from './command-lines.js';

const scripts = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const docs = ['README.md', ...readdirSync(packagePath('docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const text = (file: string): string => readFileSync(packagePath(file), 'utf8');

test('every command in a fenced block of README.md and docs/*.md parses, and the repository paths it names exist', () => {
  const problems: string[] = [];
  let checked = 0;
  for (const file of docs) {
    for (const { line, text: t } of fencedLines(text(file))) {
      for (const words of shellCommands(t)) {
        const found = shownCommandProblems(words, scripts);
        if (/^(compbench|npx|node|npm)$/u.test(words[0])) checked++;
        problems.push(...found.map((p) => `${file}:${line}: ${p}`));
      }
    }
  }
  assert.equal(problems, []);
  assert.ok(checked >= 15, `only ${checked} commands found: the extraction rule no longer matches the README`);
});

test('every inline command synopsis names a known command and only its flags', () => {
  const problems: string[] = [];
  for (const file of docs) {
    const prose = text(file).replace(/```[\s\S]*?```/gu, '');
    for (const m of prose.matchAll(/`((?:npx )?compbench [^`]+|node dist\/cli\.js [^`]+)`/gu)) problems.push(...synopsisProblems(m[1].replace(/\\\|/gu, '|')).map((p) => `${file}: ${p}`));
  }
  assert.equal(problems, []);
});

test('the checks catch what they are for', () => {
  assert.equal(shownCommandProblems(['npx', 'compbench', 'run', '--quite'], scripts).length, 1, 'unknown flag');
  assert.equal(shownCommandProblems(['compbench', 'gate'], scripts).length, 1, 'missing RUN_DIR');
  assert.equal(shownCommandProblems(['compbench', 'generate', '--model', 'datasets/models/no-such-model'], scripts).length, 1, 'missing repository path');
  assert.equal(shownCommandProblems(['compbench', 'run', '--out', 'runs/mine'], scripts), [], 'an output folder is not checked');
  assert.equal(shownCommandProblems(['npm', 'run', 'no-such-script'], scripts).length, 1);
  assert.equal(shellCommands(`npm run setup && npx compbench history --note 'a # b' # comment`), [['npm', 'run', 'setup'], ['npx', 'compbench', 'history', '--note', 'a # b']]);
  assert.equal(shellCommands('compbench gate runs/a --print-policy > p.json 2>&1 | tee log'), [['compbench', 'gate', 'runs/a', '--print-policy'], ['tee', 'log']], 'redirections are not arguments');
  assert.equal(shellCommands('compbench gate runs/a 2> err.txt --quiet'), [['compbench', 'gate', 'runs/a', '--quiet']]);
  assert.equal(synopsisProblems('compbench gate RUN_DIR [--policy FILE] [--polcy X]').length, 1);
});

test('every relative link of README.md and docs/*.md points at a file or folder that exists', () => {
  const broken: string[] = [];
  for (const file of docs) {
    for (const m of text(file).matchAll(/\]\(([^)\s]+)\)/gu)) {
      const target = m[1].split('#')[0];
      if (target === '' || /^[a-z]+:/u.test(target)) continue;
      if (!existsSync(join(dirname(packagePath(file)), target))) broken.push(`${file}: ${m[1]}`);
    }
  }
  assert.equal(broken, []);
});

test('the README is a guide: under 8 KB, the screenshot and the two commands on its first screen, every docs/ page linked', () => {
  const readme = text('README.md');
  assert.ok(Buffer.byteLength(readme) < 8192, `README.md is ${Buffer.byteLength(readme)} bytes`);
  const firstScreen = readme.split('\n').slice(0, 30).join('\n');
  assert.match(firstScreen, '](docs/report-summary.png)');
  assert.match(firstScreen, 'npm run setup && npm start');
  assert.match(firstScreen, 'npm test');
  const unlinked = docs.filter((d) => d !== 'README.md' && !readme.includes(`](${d})`));
  assert.equal(unlinked, [], 'docs pages the README does not link');
});

test.run();
