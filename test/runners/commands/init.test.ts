/** compbench init: the starter config validates with the real loader, plans, and names a policy that loads. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRunConfig, planVariants } from '../../../runners/matrix/index.js';
import { loadPolicy } from '../../../reports/gate/index.js';
import { STARTER_SUITES } from '../../../runners/init/starter-files.js';
import { packagePath } from '../../../core/paths.js';
import { assertOneLineError, cli } from '../../cli-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'compbench-init-'));

test('init writes a config the loader accepts and plans, and a policy for its suites', () => {
  const dir = join(root, 'starter');
  const r = cli('init', dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `next: compbench run --config ${join(dir, 'compbench.config.json')}`);
  const config = loadRunConfig(join(dir, 'compbench.config.json'));
  assert.equal(config.models.map((m) => m.id), ['teacher', 'student']);
  assert.is(config.models[0].dir, packagePath('datasets', 'models', 'teacher'));
  assert.equal(config.suites, STARTER_SUITES.map((id) => packagePath('suites', id)));
  assert.is(config.gatePolicy, join(dir, 'gate-policy.json'));
  assert.equal(planVariants(config).map((v) => v.id), ['teacher', 'student', 'teacher/rtn-w8-g32', 'teacher/rtn-w4-g32', 'teacher/gptq-w4-g32']);
  const raw = JSON.parse(readFileSync(join(dir, 'compbench.config.json'), 'utf8')) as { $comment: string[] };
  for (const key of ['models', 'methods', 'suites', 'gatePolicy']) assert.ok(raw.$comment.some((line) => line.startsWith(`${key}:`)), `the $comment explains ${key}`);
  const { policy } = loadPolicy(join(dir, 'gate-policy.json'));
  const suites = new Set<string>(STARTER_SUITES);
  for (const rule of policy.rules as readonly { readonly suite?: string }[]) if (rule.suite !== undefined) assert.ok(suites.has(rule.suite), `rule on ${rule.suite}`);
});

test('a folder inside the checkout gets relative paths', () => {
  const dir = mkdtempSync(join(packagePath('dist'), 'init-test-'));
  try {
    assert.is(cli('init', dir).code, 0);
    const raw = JSON.parse(readFileSync(join(dir, 'compbench.config.json'), 'utf8')) as { models: { dir: string }[] };
    assert.ok(raw.models[0].dir.startsWith('../'), raw.models[0].dir);
    assert.is(loadRunConfig(join(dir, 'compbench.config.json')).models[0].dir, packagePath('datasets', 'models', 'teacher'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init never overwrites: one line, exit 2, the file unchanged', () => {
  const dir = join(root, 'taken');
  assert.is(cli('init', dir).code, 0);
  writeFileSync(join(dir, 'gate-policy.json'), 'mine\n');
  assertOneLineError(cli('init', dir), /init: .*compbench\.config\.json already exists; init never overwrites/u);
  assert.is(readFileSync(join(dir, 'gate-policy.json'), 'utf8'), 'mine\n');
  assertOneLineError(cli('init', dir, 'other'), /init takes one DIR, got 2/u);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
