/**
 * What travels through Redis: a shard as plain data (specs, hashes and places in the
 * store), never code. Places are relative to the store (the shared cache) or to the
 * compbench package where they lie inside one, so a worker resolves them under its own
 * mount points; anything else travels as an absolute path every worker must reach.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { PACKAGE_ROOT, packagePath } from '../../../core/paths.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../../core/schemas/index.js';
import { SCORING_VERSION } from '../../matrix/result-cache.js';
import type { ShardTask } from '../../matrix/shard.js';
import type { AgreementTask } from '../../agreement/shard-agreement.js';

/** Where a file or folder is, as a worker on another machine can find it. */
export interface Place {
  /** The content hash of what lies there (variant cache key, suite hash). */
  readonly hash: string;
  readonly root: 'store' | 'package' | 'absolute';
  readonly path: string;
}

/** The versions a job was made by; a worker refuses a job from other versions. */
export interface JobVersions {
  readonly compbench: string;
  readonly scoring: number;
}

/** One shard of one cell, as enqueued (core/schemas/queue-job.schema.json). */
export interface QueueJobData {
  readonly format: 'compbench-shard/1';
  readonly versions: JobVersions;
  /** `variantId × suiteId`, for logs. */
  readonly label: string;
  readonly variant: Place;
  readonly suite: Place;
  readonly instanceIds: readonly string[];
  readonly intraOpNumThreads: number;
  readonly timeoutMs: number;
  readonly batchSize: number;
  readonly testFault?: ShardTask['testFault'];
  /** The suite's `templateVariants` id to score under (absent: its primary template). */
  readonly template?: string;
  /** Agreement with the baseline (runners/agreement): the baseline's model and its stored rows, as places. */
  readonly agreement?: QueueAgreement;
}

/** {@link AgreementTask} with its folders as places (`hash` of both: the baseline's result key). */
export interface QueueAgreement {
  readonly role: AgreementTask['role'];
  readonly baselineId: string;
  readonly baseline: Place;
  readonly rows: Place;
}

/** The versions of this installation. */
export function localVersions(): JobVersions {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  return { compbench: pkg.version, scoring: SCORING_VERSION };
}

/** `path` as a place relative to the store or the package where it lies inside one. */
export function toPlace(path: string, hash: string, storeDir: string): Place {
  for (const [root, base] of [['store', storeDir], ['package', PACKAGE_ROOT]] as const) {
    const rel = relative(base, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return { hash, root, path: rel };
  }
  return { hash, root: 'absolute', path };
}

/** The local path of a place, under this machine's store folder. */
export function fromPlace(place: Place, storeDir: string): string {
  if (place.root === 'absolute') return place.path;
  const base = place.root === 'store' ? storeDir : PACKAGE_ROOT;
  const rel = relative(base, join(base, place.path));
  // A relative place never climbs out of its root (a foreign payload could try).
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`the job's ${place.root} path '${place.path}' leaves its folder`);
  return join(base, rel);
}

/** The job of a shard task: `variantHash` and `suiteHash` are the content hashes of what it reads. */
export function jobData(task: ShardTask, label: string, variantHash: string, suiteHash: string, storeDir: string, versions = localVersions()): QueueJobData {
  return {
    format: 'compbench-shard/1',
    versions,
    label,
    variant: toPlace(task.variantDir, variantHash, storeDir),
    suite: toPlace(task.suiteFile, suiteHash, storeDir),
    instanceIds: task.instanceIds,
    intraOpNumThreads: task.intraOpNumThreads,
    timeoutMs: task.timeoutMs,
    batchSize: task.batchSize,
    ...(task.testFault ? { testFault: task.testFault } : {}),
    ...(task.template ? { template: task.template } : {}),
    ...(task.agreement ? { agreement: agreementPlaces(task.agreement, storeDir) } : {}),
  };
}

function agreementPlaces(a: AgreementTask, storeDir: string): QueueAgreement {
  return {
    role: a.role,
    baselineId: a.baselineId,
    baseline: toPlace(a.baselineDir, a.baselineKey, storeDir),
    rows: toPlace(a.rowsDir, a.baselineKey, storeDir),
  };
}

/** The shard task a worker runs for a job, with places resolved under its store folder. */
export function taskOf(data: QueueJobData, storeDir: string): ShardTask {
  return {
    kind: 'shard',
    variantDir: fromPlace(data.variant, storeDir),
    suiteFile: fromPlace(data.suite, storeDir),
    instanceIds: data.instanceIds,
    intraOpNumThreads: data.intraOpNumThreads,
    timeoutMs: data.timeoutMs,
    batchSize: data.batchSize,
    ...(data.testFault ? { testFault: data.testFault } : {}),
    ...(data.template ? { template: data.template } : {}),
    ...(data.agreement
      ? {
          agreement: {
            role: data.agreement.role,
            baselineId: data.agreement.baselineId,
            baselineKey: data.agreement.baseline.hash,
            baselineDir: fromPlace(data.agreement.baseline, storeDir),
            rowsDir: fromPlace(data.agreement.rows, storeDir),
          },
        }
      : {}),
  };
}

/**
 * The job id: sha256 of the shard's content (versions, variant and suite hashes, instance
 * ids, settings), never of paths or labels, so every coordinator that asks for the same
 * shard asks for the same job, and BullMQ adds it once.
 */
export function shardHash(data: QueueJobData): string {
  const { label: _l, variant, suite, agreement, ...rest } = data;
  // The rows' folder is named by the baseline's key and the suite's hash, both hashed already.
  const agreed = agreement ? { agreement: { role: agreement.role, baselineId: agreement.baselineId, baseline: agreement.baseline.hash } } : {};
  return createHash('sha256').update(JSON.stringify({ ...rest, variant: variant.hash, suite: suite.hash, ...agreed })).digest('hex');
}

let check: SchemaCheck | undefined;

/** Problems of a payload against the job schema, each one line (empty: a compbench job). */
export function jobProblems(value: unknown): string[] {
  check ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'queue-job.schema.json'), 'utf8')) as object);
  return check(value, { file: 'job' }).map((p) => String(formatProblem(p)));
}

/** Why a job from `theirs` must not run here (undefined: same versions). */
export function versionMismatch(theirs: JobVersions, ours: JobVersions = localVersions()): string | undefined {
  if (theirs.compbench === ours.compbench && theirs.scoring === ours.scoring) return undefined;
  return `the job was made by compbench ${theirs.compbench} (scoring v${theirs.scoring}) and this worker is compbench ${ours.compbench} (scoring v${ours.scoring}); run the same compbench version on the coordinator and every worker`;
}
