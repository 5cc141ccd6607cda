/**
 * Commands shown in documentation and CI recipes, and what makes one wrong.
 *
 * Extraction rule (README.md, docs/*.md, examples/ci/*.yml):
 * - Markdown: every line inside a fenced code block (``` … ```); a leading `$ ` prompt is
 *   dropped. YAML: every line of the shell strings: values of `run` (GitHub Actions steps) and
 *   `script`, `before_script`, `after_script` (GitLab jobs).
 * - A line is cut into shell words (single and double quotes, `\` escapes) up to an unquoted
 *   `#` comment, and into commands at unquoted `&&`, `||`, `;` and `|`. Redirections (`> f`,
 *   `>> f`, `< f`, `2> f`, `2>&1`) are the shell's, not arguments: they and their target drop out.
 * - A command is checked when it starts with `compbench`, `npx compbench` or
 *   `node dist/cli.js` (then the CLI's own parser must accept it: command, subcommand, every
 *   flag and its value, positional count), or with `npm run X`, `npm start` or `npm test`
 *   (then the script must exist in package.json). Anything else (curl, cat, exit …) is not
 *   compbench's to check.
 * - A word (or a flag's `=value`) naming a repository path must exist: it contains `/`, holds
 *   no `$`, `<` or `://`, and its first segment (after `./`) is a top-level entry of the
 *   repository other than the output folders runs/, .cache/, dist/ and node_modules/.
 *   Paths outside those (my-eval/…, runs/…) are what the recipe itself creates.
 * Inline code spans in Markdown (`compbench gate RUN_DIR [--policy FILE]`) are synopses, not
 * recipes: only their command name and every `--flag` they mention are checked.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { commandLineProblems, specOf } from '../../core/cli/index.js';
import { packagePath } from '../../core/paths.js';

/** A command found in a document, with where it was. */
export interface ShownCommand {
  readonly where: string;
  readonly words: readonly string[];
}

/** Lines inside fenced code blocks of a Markdown text, with their 1-based line numbers. */
export function fencedLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inside = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*```/u.test(text)) inside = !inside;
    else if (inside) out.push({ line: i + 1, text: text.replace(/^\s*\$ /u, '') });
  });
  return out;
}

/** Shell words of one line, split into commands at unquoted `&&`, `||`, `;`, `|`; stops at an unquoted `#` comment. */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  let redirectTarget = false;
  const flush = (): void => {
    if (word !== undefined && !redirectTarget) commands[commands.length - 1].push(word);
    if (word !== undefined) redirectTarget = false;
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      word = (word ?? '') + line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/u.test(c)) {
      flush();
    } else if (c === '>' || c === '<') {
      if (word !== undefined && /^\d$/u.test(word)) word = undefined; // the `2` of `2>`
      flush();
      while (line[i + 1] === '>') i++;
      if (line[i + 1] === '&') {
        i++;
        while (/\d/u.test(line[i + 1] ?? '')) i++; // `>&1` names a descriptor, not a file
      } else redirectTarget = true;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&')) {
      flush();
      if ((c === '|' || c === '&') && line[i + 1] === c) i++;
      commands.push([]);
    } else {
      word = (word ?? '') + c;
    }
  }
  flush();
  return commands.filter((c) => c.length > 0);
}

/** The arguments after the compbench launcher, or undefined when the command is not compbench. */
export function compbenchArgs(words: readonly string[]): readonly string[] | undefined {
  if (words[0] === 'compbench') return words.slice(1);
  if (words[0] === 'npx' && words[1] === 'compbench') return words.slice(2);
  if (words[0] === 'node' && words[1] === 'dist/cli.js') return words.slice(2);
  return undefined;
}

/** Top-level folders of the repository that hold outputs, not sources: paths into them are not checked. */
export const OUTPUT_DIRS = ['runs', '.cache', 'dist', 'node_modules'] as const;

/** Words of a command that name a repository path which does not exist. */
export function missingRepoPaths(words: readonly string[]): string[] {
  const top = new Set(readdirSync(packagePath()).filter((n) => !(OUTPUT_DIRS as readonly string[]).includes(n)));
  return words
    .map((w) => (w.startsWith('--') && w.includes('=') ? w.slice(w.indexOf('=') + 1) : w))
    .map((w) => w.replace(/^\.\//u, ''))
    .filter((w) => w.includes('/') && !/[$<]|:\/\//u.test(w) && top.has(w.split('/')[0]))
    .filter((w) => !existsSync(join(packagePath(), w)));
}

/** Problems of one shown command (empty when it is fine or not compbench's to check). */
export function shownCommandProblems(words: readonly string[], scripts: Readonly<Record<string, string>>): string[] {
  const args = compbenchArgs(words);
  if (args !== undefined) {
    const problems = args.length === 0 ? [] : args[0] === '--help' || args[0] === '-h' ? [] : commandLineProblems(args);
    return [...problems, ...missingRepoPaths(args).map((p) => `${p}: no such file or folder in the repository`)];
  }
  if (words[0] === 'npm' && (words[1] === 'start' || words[1] === 'test')) return words[1] in scripts ? [] : [`npm ${words[1]}: no "${words[1]}" script in package.json`];
  if (words[0] === 'npm' && words[1] === 'run') return words[2] !== undefined && words[2] in scripts ? [] : [`npm run ${words[2] ?? ''}: no such script in package.json`];
  return [];
}

/** Problems of an inline synopsis span (`compbench gate RUN_DIR [--policy FILE]`): its command and the flags it names. */
export function synopsisProblems(span: string): string[] {
  const words = span.split(/\s+/u);
  const args = compbenchArgs(words);
  if (args === undefined || args.length === 0 || args[0].startsWith('-') || args[0].startsWith('<')) return [];
  const found = specOf(/^[a-z]/u.test(args[1] ?? '') ? args.slice(0, 2) : args.slice(0, 1));
  if (typeof found === 'string') return [`${span}: ${found}`];
  const known = new Set([...Object.keys(found.spec.flags), 'help']);
  return [...span.matchAll(/--([a-z][a-z0-9-]*)/gu)].map((m) => m[1]).filter((f) => !known.has(f)).map((f) => `${span}: unknown flag --${f} for '${found.spec.name}'`);
}
