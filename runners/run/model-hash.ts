import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { locateModel } from '../backends/locate-model.js';
import { feedFile } from '../../core/file-hash.js';
import type { ModelFileRecord } from '../../core/run-record.js';

/** How {@link hashModelFiles} computes a model's combined sha256, in words for records. */
export const MODEL_SHA256_METHOD = "sha256 over each file of onnx/ in name order (a GGUF model: its one .gguf file), each as its name, a NUL byte, then its bytes (not the sha256sum of any one file; each file's plain sha256 is listed)";

/**
 * sha256 over a model folder's `onnx/` files (model.onnx and its external data, in
 * name order, see {@link MODEL_SHA256_METHOD}) and their total size: the model part of
 * every cache key and record. `files` gives each file's plain sha256 (what `sha256sum`
 * prints), so an auditor can check the files without this tool.
 */
export function hashModelFiles(onnxDir: string): { sha256: string; sizeBytes: number; files: ModelFileRecord[] } {
  return hashFiles(readdirSync(onnxDir).sort().map((name) => ({ name, path: join(onnxDir, name), label: `onnx/${name}` })));
}

/**
 * The same hash for the model at `modelPath` whichever backend runs it: a folder's onnx/
 * files, or a GGUF model's one .gguf file (named by its file name).
 */
export function hashModelAt(modelPath: string): { sha256: string; sizeBytes: number; files: ModelFileRecord[] } {
  const where = locateModel(modelPath);
  if (where.backend === 'onnxruntime') return hashModelFiles(join(where.dir, 'onnx'));
  return hashFiles([{ name: basename(where.ggufPath), path: where.ggufPath, label: basename(where.ggufPath) }]);
}

function hashFiles(entries: readonly { name: string; path: string; label: string }[]): { sha256: string; sizeBytes: number; files: ModelFileRecord[] } {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const files: ModelFileRecord[] = [];
  for (const { name, path, label } of entries) {
    if (!statSync(path).isFile()) continue;
    hash.update(`${name}\0`);
    const plain = createHash('sha256');
    const bytes = feedFile(path, hash, plain);
    sizeBytes += bytes;
    files.push({ path: label, sha256: plain.digest('hex'), bytes });
  }
  return { sha256: hash.digest('hex'), sizeBytes, files };
}
