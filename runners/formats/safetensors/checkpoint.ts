/**
 * A Hugging Face checkpoint folder's weights: `model.safetensors`, or the shards that
 * `model.safetensors.index.json` maps every tensor to. Shards are opened once and read
 * tensor by tensor, so at most one tensor's bytes are in memory per read.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { InputError, messageOf } from '../../../core/errors.js';
import { openSafetensors, type SafetensorsEntry, type SafetensorsFile } from './safetensors-file.js';

/** The index file of a sharded checkpoint. */
export const INDEX_FILE = 'model.safetensors.index.json';
/** The single file of an unsharded checkpoint. */
export const SINGLE_FILE = 'model.safetensors';

/** Every tensor of a checkpoint, over all its shards (close it when done). */
export interface Checkpoint {
  readonly dir: string;
  /** The files read, relative to `dir`, in order. */
  readonly files: readonly string[];
  /** Tensor name -> where it is. */
  readonly entries: ReadonlyMap<string, SafetensorsEntry & { readonly file: string }>;
  /** The tensor's float32 values (F32/F16/BF16/F64 converted). */
  readFloat32(name: string): Float32Array;
  /** Closes every shard. */
  close(): void;
}

/** True when `dir` holds a safetensors checkpoint (index or single file). */
export function isSafetensorsFolder(dir: string): boolean {
  return existsSync(join(dir, INDEX_FILE)) || existsSync(join(dir, SINGLE_FILE));
}

function shardPath(dir: string, name: unknown, indexPath: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new InputError(`${indexPath}: weight_map names shard ${JSON.stringify(name)}; shards must be plain file names inside the folder`);
  }
  const path = join(dir, name);
  if (!existsSync(path)) throw new InputError(`${indexPath}: shard ${name} is missing; download every file the index names`);
  const rel = relative(realpathSync(dir), realpathSync(path));
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`${indexPath}: shard ${name} resolves outside the folder ${dir}; keep weight files inside the folder`);
  return path;
}

function readIndex(dir: string): Map<string, string> {
  const indexPath = join(dir, INDEX_FILE);
  let index: unknown;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (e) {
    throw new InputError(`${indexPath} is not readable JSON (${messageOf(e)}); fix or download it again`);
  }
  const map = (index as { weight_map?: unknown })?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new InputError(`${indexPath}: no weight_map object; the index is damaged`);
  const byTensor = new Map<string, string>();
  for (const [tensor, file] of Object.entries(map)) byTensor.set(tensor, shardPath(dir, file, indexPath));
  return byTensor;
}

/** Opens the checkpoint in `dirArg`; InputError when there is none or a shard disagrees with the index. */
export function openCheckpoint(dirArg: string): Checkpoint {
  const dir = resolve(dirArg);
  const sharded = existsSync(join(dir, INDEX_FILE));
  if (!sharded && !existsSync(join(dir, SINGLE_FILE))) {
    throw new InputError(`${dir} has no ${SINGLE_FILE} or ${INDEX_FILE}; give a Hugging Face folder saved with safetensors (save_pretrained(..., safe_serialization=True))`);
  }
  const byTensor = sharded ? readIndex(dir) : undefined;
  const paths = byTensor ? [...new Set(byTensor.values())] : [join(dir, SINGLE_FILE)];
  const opened: SafetensorsFile[] = [];
  try {
    for (const p of paths) opened.push(openSafetensors(p));
    const entries = new Map<string, SafetensorsEntry & { file: string }>();
    for (const f of opened) {
      for (const [name, e] of f.entries) {
        if (entries.has(name)) throw new InputError(`${f.path}: tensor '${name}' is also in ${entries.get(name)!.file}; a tensor must be in one shard`);
        if (byTensor && byTensor.get(name) !== f.path) throw new InputError(`${f.path}: holds '${name}', which ${INDEX_FILE} does not map to it; the index and shards disagree`);
        entries.set(name, { ...e, file: f.path });
      }
    }
    for (const name of byTensor?.keys() ?? []) {
      if (!entries.has(name)) throw new InputError(`${join(dir, INDEX_FILE)}: tensor '${name}' is not in ${byTensor!.get(name)}; the index and shards disagree`);
    }
    const fileOf = new Map(opened.map((f) => [f.path, f]));
    return {
      dir,
      files: opened.map((f) => relative(dir, f.path)),
      entries,
      readFloat32(name) {
        const e = entries.get(name);
        if (!e) throw new InputError(`${dir}: the checkpoint has no tensor '${name}'`);
        return fileOf.get(e.file)!.readFloat32(name);
      },
      close: () => opened.forEach((f) => f.close()),
    };
  } catch (e) {
    opened.forEach((f) => f.close());
    throw e;
  }
}
