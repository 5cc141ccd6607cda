import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureWritableDir, writeFailure, writeFileAtomic } from '../../core/atomic-write.js';
import { InfraError, InputError } from '../../core/errors.js';
import { errnoError, injectedWriteFault, WRITE_FAULT_ENV } from '../../core/write-fault.js';

const test = suite('core/atomic-write');

/** Runs `fn` with COMPBENCH_TEST_WRITE_FAULT set, restoring it afterwards. */
function withFault<T>(value: string, fn: () => T): T {
  const old = process.env[WRITE_FAULT_ENV];
  process.env[WRITE_FAULT_ENV] = value;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env[WRITE_FAULT_ENV];
    else process.env[WRITE_FAULT_ENV] = old;
  }
}

const OUT = { flag: '--out' };

test('writes and replaces a file, leaving no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-atomic-'));
  const file = join(dir, 'report.html');
  writeFileAtomic(file, 'one', OUT);
  writeFileAtomic(file, Buffer.from('two'), OUT);
  assert.is(readFileSync(file, 'utf8'), 'two');
  assert.equal(readdirSync(dir), ['report.html']);
});

test('a disk that fills half-way leaves the old file whole, no temporary file, and one line naming the path and the flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compbench-atomic-'));
  const file = join(dir, 'report.html');
  writeFileAtomic(file, '<html>old</html>', OUT);
  assert.throws(
    () => withFault('ENOSPC:report.html', () => writeFileAtomic(file, '<html>new and longer</html>', OUT)),
    (e: Error) => e instanceof InputError && e.message === `cannot write ${file} (the disk is full, ENOSPC); free disk space or choose another folder with --out`,
  );
  assert.is(readFileSync(file, 'utf8'), '<html>old</html>');
  assert.equal(readdirSync(dir), ['report.html']);
  assert.throws(() => withFault('ENOSPC:fresh.html', () => writeFileAtomic(join(dir, 'fresh.html'), 'x', OUT)));
  assert.not.ok(existsSync(join(dir, 'fresh.html')), 'none, rather than a torn one');
});

test('permission, read-only and missing folders are InputErrors with their fix; other errnos stay InfraErrors', () => {
  const cases: [string, RegExp][] = [
    ['EACCES', /^cannot write \/r\/x\.csv \(permission denied, EACCES\); make \/r writable or choose another folder with --cache-dir$/],
    ['EROFS', /^cannot write \/r\/x\.csv \(read-only file system, EROFS\); make \/r writable or choose another folder with --cache-dir$/],
    ['ENOENT', /^cannot write \/r\/x\.csv \(the folder does not exist, ENOENT\); create \/r or choose another folder with --cache-dir$/],
  ];
  for (const [code, pattern] of cases) {
    const e = writeFailure(errnoError(code, 'open', '/r/x.csv'), '/r/x.csv', '/r', { flag: '--cache-dir' });
    assert.ok(e instanceof InputError && pattern.test(e.message), e.message);
  }
  const io = writeFailure(errnoError('EIO', 'write', '/r/x'), '/r/x', '/r', OUT);
  assert.ok(io instanceof InfraError, 'an I/O error is not the user\'s to fix');
  const gate = writeFailure(errnoError('EROFS', 'open', '/r/run.json'), '/r/run.json', '/r', { flag: 'RUN_DIR', alternative: 'gate a writable copy' });
  assert.match(gate.message, /make \/r writable or gate a writable copy$/);
});

test('ensureWritableDir: creates nested folders; a read-only parent names the folder that refused and the flag', () => {
  const root = mkdtempSync(join(tmpdir(), 'compbench-dirs-'));
  assert.is(ensureWritableDir(join(root, 'a', 'b'), OUT), join(root, 'a', 'b'));
  assert.ok(existsSync(join(root, 'a', 'b')));
  assert.equal(readdirSync(join(root, 'a', 'b')), [], 'the probe file is gone');
  const run = join(root, 'run');
  ensureWritableDir(run, OUT);
  assert.throws(
    () => withFault(`EROFS:${join(run, 'report')}`, () => ensureWritableDir(join(run, 'report', 'charts'), OUT)),
    (e: Error) => e instanceof InputError && e.message === `${join(run, 'report', 'charts')}: folder is not writable (read-only file system in ${run}, EROFS); make ${run} writable or choose another folder with --out`,
  );
  const file = join(root, 'file');
  writeFileSync(file, '');
  assert.throws(() => ensureWritableDir(join(file, 'x'), { flag: '--out', given: true }), (e: Error) => e instanceof InputError && e.message.startsWith(`--out ${join(file, 'x')}: folder is not writable (${file} is a file`));
});

test('the fault variable: CODE:SUBSTRING entries, comma separated; nothing when unset', () => {
  assert.is(injectedWriteFault('/a/report.html', undefined), undefined);
  assert.is(injectedWriteFault('/a/report.html', 'ENOSPC:report.html'), 'ENOSPC');
  assert.is(injectedWriteFault('/a/run.json', 'ENOSPC:report.html,EROFS:/a/'), 'EROFS');
  assert.is(injectedWriteFault('/a/run.json', 'garbage,ENOSPC:'), undefined);
});

test.run();
