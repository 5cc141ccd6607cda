/**
 * A run config's model folder that holds safetensors instead of onnx/model.onnx is
 * imported once into `<cacheDir>/imported/<key>/` and the run uses that folder. The key is
 * a content hash (importer version + every source file's sha256), so an edited config or
 * a new shard imports again; file hashes are memoized by path, size and mtime in
 * `<cacheDir>/imported/hashes.json` so a rerun does not reread gigabytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INDEX_FILE, isSafetensorsFolder, openCheckpoint } from '../formats/safetensors/index.js';
import { COPIED_FILES, fileSha256, importCheckpointFolder, IMPORTER_VERSION } from './import-folder.js';

/** True when `dir` is a Hugging Face safetensors folder without an ONNX export: it needs importing. */
export function needsImport(dir: string): boolean {
  return !existsSync(join(dir, 'onnx', 'model.onnx')) && existsSync(join(dir, 'config.json')) && isSafetensorsFolder(dir);
}

/** Source files that decide the imported folder: config.json, the copied files, the index and the shards it reads (not e.g. a consolidated.safetensors beside them). */
function sourceFiles(dir: string): string[] {
  const ckpt = openCheckpoint(dir);
  const weights = ckpt.files;
  ckpt.close();
  const extra = [INDEX_FILE, 'config.json', ...COPIED_FILES].filter((f) => existsSync(join(dir, f)));
  return [...new Set([...extra, ...weights])].sort();
}

type HashMemo = Record<string, { size: number; mtimeMs: number; sha256: string }>;

function readMemo(file: string): HashMemo {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HashMemo;
  } catch {
    return {}; // absent or damaged: rehash
  }
}

/** The cache key of `dir`'s import: sha256 over the importer version and each file's name and sha256. */
export function importKey(dir: string, memoFile: string): string {
  const memo = readMemo(memoFile);
  const hash = createHash('sha256').update(`compbench import v${IMPORTER_VERSION}\n`);
  let changed = false;
  for (const name of sourceFiles(dir)) {
    const path = join(dir, name);
    const { size, mtimeMs } = statSync(path);
    let known = memo[path];
    if (!known || known.size !== size || known.mtimeMs !== mtimeMs) {
      known = { size, mtimeMs, sha256: fileSha256(path) };
      memo[path] = known;
      changed = true;
    }
    hash.update(`${name}\t${known.sha256}\n`);
  }
  if (changed) writeFileSync(memoFile, `${JSON.stringify(memo, null, 1)}\n`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The ONNX folder to run for model folder `dirArg`: itself when it has onnx/model.onnx,
 * else its import in the cache (made now when missing). InputErrors of the import pass through.
 */
export function importedModelDir(dirArg: string, cacheDir: string, log: (line: string) => void): string {
  const dir = resolve(dirArg);
  if (!needsImport(dir)) return dir;
  const root = join(cacheDir, 'imported');
  mkdirSync(root, { recursive: true });
  const memoFile = join(root, 'hashes.json');
  const target = join(root, importKey(dir, memoFile));
  if (existsSync(join(target, 'import.json'))) return target;
  const started = Date.now();
  const memo = readMemo(memoFile);
  const r = importCheckpointFolder(dir, target, { knownSha256: (path) => memo[path]?.sha256 });
  log(`imported ${dir} (${r.architecture}, ${r.sourceDtypes.join('/')}) into ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}
