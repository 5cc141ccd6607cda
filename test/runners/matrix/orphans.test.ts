import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isProcessAlive } from '../../../core/run-state.js';
import { CLI, cli } from '../../cli-helpers.js';
import { studentDir, teacherDir, tempDir } from '../fixtures.js';
import { TINY_MC_ROWS, writeConfig, writeMcSuite } from './fixtures.js';

const test = suite('runners/matrix/orphans (a killed run leaves no process and no debris)');

function mcSuite(): string {
  return writeMcSuite(TINY_MC_ROWS.slice(0, 1));
}

/** Pids of every live descendant of `root` (from /proc: ppid is field 4 of /proc/<pid>/stat). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [pid, pp] of parent) if (pp === p) (out.push(pid), walk(pid));
  };
  walk(root);
  return out;
}

/** Alive and not a zombie (a zombie has exited; only its parent has not reaped it yet). */
function running(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('kill -9 of the coordinator during GPTQ: its host and workers are gone 5 s later; the next run removes debris of dead pids', async () => {
  const teacher = teacherDir('orphans');
  const student = studentDir('orphans');
  if (!teacher || !student || process.platform !== 'linux') return;
  const cacheDir = tempDir('cache');
  const config = writeConfig({ models: [{ id: 'teacher', dir: teacher }], methods: [{ method: 'gptq', bits: 4, group: 128 }], suites: [mcSuite()], measurement: { enabled: false }, execution: { workers: 1 }, cacheDir });
  const run = spawn(process.execPath, [CLI, 'run', '--config', config, '--out', tempDir('out')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COMPBENCH_DEBUG: '' } });
  let output = '';
  run.stdout.on('data', (d: Buffer) => (output += d.toString()));
  run.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/compressing 1 of/.test(output) && Date.now() < deadline && run.exitCode === null) await sleep(100);
  assert.match(output, /compressing 1 of/);
  await sleep(1500); // the host is computing GPTQ in its worker now
  const kids = descendants(run.pid!);
  assert.ok(kids.length >= 1, 'the run has a worker host child');
  process.kill(run.pid!, 'SIGKILL');
  await sleep(5000);
  const alive = kids.filter(running);
  assert.equal(alive, [], `still running 5 s after the coordinator died: ${alive.join(', ')}`);
  // Killed at once, the host wrote nothing; a process killed while writing its variant leaves
  // `<hash>.tmp-<pid>` (as before this fix, when the orphan finished GPTQ ~30 s later).
  const variants = join(cacheDir, 'variants');
  mkdirSync(variants, { recursive: true });
  const debris = [`${'0'.repeat(64)}.tmp-${run.pid}`];
  mkdirSync(join(variants, debris[0], 'onnx'), { recursive: true });
  writeFileSync(join(variants, debris[0], 'onnx', 'model.onnx'), 'half');

  const next = writeConfig({ models: [{ id: 'student', dir: student }], methods: [{ method: 'rtn', bits: 8 }], suites: [mcSuite()], measurement: { enabled: false }, execution: { workers: 1 }, cacheDir });
  const r = cli('run', '--config', next, '--out', tempDir('out2'));
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout + r.stderr, /removed 1 temporary file\(s\) of dead processes/);
  assert.not.ok(existsSync(join(variants, debris[0])));
});

test.run();
