/** The CLI imports a command's code only when that command runs, so a `compbench worker` starts without the run, report or queue coordinator code. */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI } from '../../cli-helpers.js';

/** The npm packages (CommonJS) loaded once `compbench ...args` has run in a fresh Node process. */
function packagesLoaded(...args: string[]): Set<string> {
  const script = `
    import { createRequire } from 'node:module';
    process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];
    await import(${JSON.stringify(pathToFileURL(CLI).href)});
    const names = Object.keys(createRequire(import.meta.url).cache).map((file) => file.split('node_modules/').at(-1).split('/')[0]);
    process.stderr.write('PACKAGES ' + JSON.stringify([...new Set(names)]) + '\\n');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, COMPBENCH_DEBUG: '' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('PACKAGES '));
  assert.ok(line, `no package list: ${r.stderr}`);
  return new Set(JSON.parse(line.slice('PACKAGES '.length)) as string[]);
}

// onnxruntime: run, compress; chartjs-node-canvas: report; better-sqlite3: history; ajv: config checks.
const RUN_AND_REPORT = ['onnxruntime-node', 'chartjs-node-canvas', 'better-sqlite3', 'ajv'];

test('--help and worker --help load none of the run, report or history packages', () => {
  for (const args of [['--help'], ['worker', '--help'], ['queue', '--help']]) {
    const loaded = packagesLoaded(...args);
    for (const name of RUN_AND_REPORT) assert.not.ok(loaded.has(name), `compbench ${args.join(' ')} loaded ${name}`);
  }
});

test('a worker loads no BullMQ or Redis client before it runs (it forks its processors first)', () => {
  const loaded = packagesLoaded('worker', '--help');
  for (const name of ['bullmq', 'ioredis']) assert.not.ok(loaded.has(name), `compbench worker --help loaded ${name}`);
});

test('run --help still loads the run code it describes', () => {
  assert.ok(packagesLoaded('run', '--help').has('onnxruntime-node'), 'the check above would pass vacuously if nothing were ever listed');
});

test.run();
