import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileSchema, formatProblem } from '../../../core/schemas/validate.js';

const test = suite('core/schemas/validate');

const check = compileSchema({
  type: 'object',
  required: ['name', 'threads'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'a short name' },
    threads: { type: 'integer', minimum: 1, description: 'a positive integer' },
    mode: { title: 'mode', enum: ['fast', 'exact'] },
  },
});

test('collects every violation with path, line and fix', () => {
  const text = '{\n  "threads": 0,\n  "mode": "fsat",\n  "nmae": "x"\n}';
  const problems = check(JSON.parse(text), { file: 'cfg.json', text }).map(formatProblem);
  assert.equal(problems.sort(), [
    "cfg.json:1: $: missing required field 'name' — add \"name\" (a short name)",
    'cfg.json:2: $.threads: must be >= 1 — expected: a positive integer',
    "cfg.json:3: $.mode: Unknown mode 'fsat' — Did you mean: fast? Available: fast, exact",
    "cfg.json:4: $.nmae: unknown field 'nmae' — did you mean: name? Known fields: name, threads, mode",
  ]);
});

test('a JSONL record gets its line; valid input gives no problems', () => {
  const [p] = check({ name: 1, threads: 2 }, { file: 'd.jsonl', line: 17 });
  assert.is(formatProblem(p), 'd.jsonl:17: $.name: must be string, got number — expected: a short name');
  assert.equal(check({ name: 'a', threads: 2 }, { file: 'x' }), []);
  assert.is(formatProblem({ file: 'f', path: '$', message: 'm', fix: 'x' }), 'f: $: m — x');
});

test.run();
