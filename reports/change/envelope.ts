import type { RunRecord } from '../../core/run-record.js';

/**
 * The change envelope (core/schemas/change-envelope.schema.json): what the provider
 * declared in advance to be a non-substantial modification.
 */
export interface ChangeEnvelope {
  /** Compression methods the envelope covers (`compress --method` ids, plus {@link RECOVERY_METHOD} for quantization-aware recovery). */
  readonly allowedMethods?: readonly string[];
  /** Lowest bit-width the envelope covers. */
  readonly minBits?: number;
  /** Largest change for the worse of a share metric, each in its own direction, on the worse end of Δ's 95% interval (0.02 = 2 points). */
  readonly maxAccuracyDrop?: number;
  /** Largest change for the worse of a metric with a unit, on the worse end of Δ's 95% interval, relative to the baseline value. */
  readonly maxRelativeWorsening?: number;
  /** Largest point change for the worse of a share metric's hardest-hit slice (default maxAccuracyDrop). */
  readonly maxSliceDrop?: number;
  readonly note?: string;
}

/**
 * The `allowedMethods` entry for quantization-aware recovery. A variant of a model with
 * `recoveredFrom` had its weights retrained before its method compressed them, so it is
 * within the envelope only if both the recovery and the method are allowed.
 */
export const RECOVERY_METHOD = 'qat';

/** Where the envelope was declared: its own file (path and plain sha256 of its bytes) or inline in the run config. */
export type EnvelopeSource = { readonly kind: 'file'; readonly file: string; readonly sha256: string } | { readonly kind: 'inline' };

/** The envelope a run recorded, where it came from, and the fields that were ignored. */
export interface EnvelopeDeclaration {
  readonly envelope: ChangeEnvelope;
  readonly source: EnvelopeSource;
  /** Fields of the wrong type or unknown (each is then not screened), named for the record. */
  readonly ignored: readonly string[];
}

const NUMBER_FIELDS = ['minBits', 'maxAccuracyDrop', 'maxRelativeWorsening', 'maxSliceDrop'] as const;

/**
 * Reads `config.changeEnvelope` of a run record: `{ file, sha256, envelope }` when the
 * run config named a file, else the inline object. Undefined when none was declared
 * (absent or empty).
 */
export function envelopeOf(record: RunRecord): EnvelopeDeclaration | undefined {
  const raw = (record.config as { changeEnvelope?: unknown }).changeEnvelope;
  if (!isObject(raw)) return undefined;
  const fromFile = typeof raw.file === 'string' && typeof raw.sha256 === 'string' && isObject(raw.envelope);
  const body = fromFile ? (raw.envelope as Record<string, unknown>) : raw;
  const source: EnvelopeSource = fromFile ? { kind: 'file', file: raw.file as string, sha256: raw.sha256 as string } : { kind: 'inline' };
  const ignored: string[] = [];
  const envelope: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '$schema') continue;
    if ((NUMBER_FIELDS as readonly string[]).includes(key) && typeof value === 'number' && Number.isFinite(value)) envelope[key] = value;
    else if (key === 'allowedMethods' && Array.isArray(value)) envelope[key] = value.map(String);
    else if (key === 'note' && typeof value === 'string') envelope[key] = value;
    else ignored.push(`${key}=${JSON.stringify(value)}`);
  }
  if (Object.keys(envelope).length === 0 && ignored.length === 0) return undefined;
  return { envelope: envelope as ChangeEnvelope, source, ignored };
}

/** Where the envelope was declared, in words, with how its hash was computed. */
export function envelopeSourceLine(source: EnvelopeSource): string {
  return source.kind === 'file'
    ? `declared in its own file ${source.file}, sha256 ${source.sha256} (plain sha256 of the file's bytes: check with sha256sum ${source.file})`
    : 'declared inline in the run configuration (config.changeEnvelope), i.e. together with the run it screens, not in a separate file with a hash; move it to its own file and name it by path';
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
