import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureWritableDir, writeFileAtomic } from '../../core/atomic-write.js';
import { InputError, messageOf } from '../../core/errors.js';

/** One entry of a model's append-only change log (Annex IV 6). */
export interface ChangeLogEntry {
  readonly loggedAt: string;
  readonly runId: string;
  readonly runCreatedAt: string;
  readonly variantId: string;
  readonly model: string;
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly executionForm: string;
  readonly modelSha256: string;
  readonly baselineSha256: string | null;
  readonly runJsonSha256: string;
  readonly gitSha: string | null;
  readonly screening: 'within' | 'outside' | 'no-envelope';
  readonly gate: 'pass' | 'fail' | 'not-gated';
}

/**
 * Where a model's change log lives by default: `<parent of the run folder>/changes-log/`,
 * i.e. `runs/changes-log/<model>.jsonl` for runs under `runs/`. It sits outside every
 * run and report folder, so it persists and grows across runs of the same model.
 */
export function defaultChangeLogDir(runDir: string): string {
  return join(dirname(resolve(runDir)), 'changes-log');
}

/** The log file of one model (the model id made safe as a file name). */
export function changeLogFile(dir: string, model: string): string {
  return join(dir, `${model.replace(/[^A-Za-z0-9._-]/gu, '_')}.jsonl`);
}

/** Reads a log's entries (empty when the file does not exist yet). */
export function readChangeLog(file: string): ChangeLogEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as ChangeLogEntry;
      } catch (e) {
        throw new InputError(`${file}:${i + 1}: not valid JSON (${messageOf(e)}); the change log is append-only, restore it from backup instead of editing it`);
      }
    });
}

/**
 * Appends an entry unless the log already holds one for the same run and variant (a
 * re-render of the same run adds nothing). Existing lines are kept byte for byte: the
 * new file is the old bytes plus one line, replacing the old one atomically, so a full
 * disk can never leave a torn last line that would make the whole log unreadable.
 * Returns every entry after the append.
 */
export function appendChangeLog(file: string, entry: ChangeLogEntry): { entries: ChangeLogEntry[]; appended: boolean } {
  const entries = readChangeLog(file);
  if (entries.some((e) => e.runId === entry.runId && e.variantId === entry.variantId)) return { entries, appended: false };
  ensureWritableDir(dirname(file), { flag: '--change-log-dir' });
  const old = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
  const sep = old.length > 0 && old[old.length - 1] !== 0x0a ? '\n' : '';
  writeFileAtomic(file, Buffer.concat([old, Buffer.from(`${sep}${JSON.stringify(entry)}\n`)]), { flag: '--change-log-dir' });
  return { entries: [...entries, entry], appended: true };
}
