/**
 * The README a queued run leaves at the top of its store (the cache folder every worker
 * mounts), naming the layout, so whoever shares the folder over NFS or a mounted bucket
 * knows what lives where and what must be reachable from the workers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/atomic-write.js';
import { SCORING_VERSION } from '../../matrix/result-cache.js';

/** The store's README text. */
export function storeReadme(): string {
  return `# compbench store (shared cache folder)

Content-addressed: every name below is a sha256 of what the thing is made of, so every
machine that mounts this folder agrees on names, and nothing is ever rewritten in place
(folders are built under a temporary name and renamed; result files are append-only).

    variants/<variant hash>/          a compressed variant (model folder), written once by the coordinator
    imported/<source hash>/           a safetensors model imported to ONNX
    results/scoring-v${SCORING_VERSION}/<variant key>/<suite hash>.jsonl
                                      per-instance results, appended (fsynced) by the coordinator
    measurements/<key>.json           speed/memory/energy per variant and hardware

Workers ('compbench worker --cache-dir <this folder>') only read variants/ and imported/;
results come back through the queue and the coordinator appends them here. Suites and
base models outside the compbench package travel as absolute paths: put them on a
folder every worker mounts at the same path, or inside this one.
`;
}

/** Writes `<store>/README.md` when it is absent. */
export function ensureStoreReadme(storeDir: string): void {
  const file = join(storeDir, 'README.md');
  if (!existsSync(file)) writeFileAtomic(file, storeReadme(), { flag: '--cache-dir' });
}
