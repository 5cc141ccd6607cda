/** The command tables: help shows every flag with its default and an example that parses; typos name the closest flag. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closestKnown, commandLineProblems, commandUsage, COMMAND_SPECS, overviewUsage, parseCommandArgs, type CommandSpec } from '../../../core/cli/index.js';
import { InputError } from '../../../core/errors.js';
import { RUN_SPEC } from '../../../core/cli/specs/run.js';
import { typoDistance } from '../../../core/cli/parse.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';

/** Every command and subcommand spec. */
const leaves: CommandSpec[] = COMMAND_SPECS.flatMap((s) => (s.subcommands ? [...s.subcommands] : [s]));

test('every command has a one-line summary, and help lists every flag with a default and one example', () => {
  for (const spec of [...COMMAND_SPECS, ...leaves]) {
    assert.ok(spec.summary.length > 0 && !spec.summary.includes('\n'), spec.name);
    const help = commandUsage(spec);
    assert.ok(help.startsWith(`usage: compbench ${spec.name}`), spec.name);
    assert.match(help, `example: ${spec.example}`);
    for (const name of Object.keys(spec.flags)) assert.match(help, new RegExp(`^  --${name}\\b.*\\((default: .+|required)\\)$`, 'mu'), `${spec.name} --${name}`);
  }
  const overview = overviewUsage(COMMAND_SPECS);
  for (const spec of COMMAND_SPECS) assert.match(overview, `  ${spec.name}`);
});

test("every command's example is accepted by its own parser", () => {
  for (const spec of [...COMMAND_SPECS, ...leaves]) {
    assert.ok(spec.example.startsWith('compbench '), spec.example);
    assert.equal(commandLineProblems(spec.example.split(' && ')[0].replace(/^compbench /u, '').match(/'[^']*'|\S+/gu)!.map((w) => w.replace(/^'|'$/gu, ''))), [], spec.example);
  }
});

test('an unknown flag is one line naming the closest known flag', () => {
  assert.is(typoDistance('quite', 'quiet'), 1, 'a transposition is one edit');
  assert.is(closestKnown('quite', Object.keys(RUN_SPEC.flags)), 'quiet');
  assert.is(closestKnown('worker', Object.keys(RUN_SPEC.flags)), 'workers');
  assert.is(closestKnown('cachedir', Object.keys(RUN_SPEC.flags)), 'cache-dir');
  let caught: unknown;
  try {
    parseCommandArgs(RUN_SPEC, ['--quite']);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError);
  assert.is((caught as Error).message, "run: Unknown option '--quite' (did you mean --quiet?); see 'compbench run --help'");
});

test('the CLI: --help of every command exits 0; a typo exits 2 with one line', () => {
  const top = cli('--help');
  assert.is(top.code, 0);
  assert.match(top.stdout, /^usage: compbench <command>/u);
  for (const spec of leaves) {
    const r = cli(...spec.name.split(' '), '--help');
    assert.is(r.code, 0, `${spec.name} --help: ${r.stderr}`);
    assert.match(r.stdout, `example: ${spec.example}`);
  }
  assertOneLineError(cli('history', '--fail-on-regresion'), /history: Unknown option '--fail-on-regresion' \(did you mean --fail-on-regression\?\)/u);
  assertOneLineError(cli('suites', 'validate', 'suites/reasoning', '--modle', 'x'), /did you mean --model\?/u);
  assertOneLineError(cli('rn'), /unknown command 'rn'; .*did you mean 'run'\?/u);
});

test('a flag table entry is all a new flag needs: parse, help and checker follow', () => {
  const spec = { ...RUN_SPEC, flags: { ...RUN_SPEC.flags, 'all-templates': { type: 'boolean', help: 'every template' } } } as const satisfies CommandSpec;
  assert.is(parseCommandArgs(spec, ['--all-templates']).values['all-templates'], true);
  assert.match(commandUsage(spec), /--all-templates +every template \(default: off\)/u);
  assert.equal(commandLineProblems(['run', '--all-templates'], [spec]), []);
  assert.is(commandLineProblems(['run', '--all-templates']).length, 1, 'the real table does not know it');
});

test.run();
