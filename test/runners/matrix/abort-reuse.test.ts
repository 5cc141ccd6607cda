import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI } from '../../cli-helpers.js';
import { studentDir, tempDir } from '../fixtures.js';
import { TINY_MC_ROWS, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/abort-reuse (variants built before an abort are reused)');

function mcSuite(): string {
  return writeMcSuite(TINY_MC_ROWS.slice(0, 1));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `compbench run`; kills it (SIGKILL) as soon as its output matches `killAt`, or lets it finish. Resolves to the output. */
async function run(config: string, killAt?: RegExp): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--out', tempDir('out')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COMPBENCH_DEBUG: '' } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    if (killAt && killAt.test(output)) {
      child.kill('SIGKILL');
      break;
    }
    await sleep(50);
  }
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
  return output;
}

test('killed after the first variant is compressed, then after the compress phase: reruns compress only what is missing', async () => {
  const student = studentDir('abort reuse');
  if (!student) return;
  const config = writeConfig({
    models: [{ id: 'student', dir: student }],
    methods: [{ method: 'rtn', bits: 8 }, { method: 'gptq', bits: 4, group: 32 }],
    suites: [mcSuite()],
    measurement: { enabled: false },
    execution: { workers: 1 },
    cacheDir: tempDir('cache'),
  });
  const first = await run(config, /compressed student\/rtn/);
  assert.match(first, /compressing 2 of 3 variants/);
  assert.not.match(first, /compressed student\/gptq/, 'killed before GPTQ finished');
  const second = await run(config, /compressed student\/gptq|self-checking/);
  assert.match(second, /compressing 1 of 3 variants/, `the rtn variant was reused:\n${second}`);
  const third = await run(config);
  assert.not.match(third, /compressing/, `nothing is compressed again:\n${third}`);
});

test.run();
