/**
 * Quantization-aware recovery as compression.json records it. A recovered model is made
 * offline (datasets/train/qat.py: straight-through-estimator distillation against rtn's
 * grid), so `compress` does not run it; it compresses the recovered folder's fp32 latent
 * weights, and copies the folder's provenance.json (written by datasets/train/qat_card.py)
 * into the variant's record with whether the method packs it on the grid it was trained for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { compileSchema, formatProblem, type SchemaCheck } from '../../core/schemas/index.js';
import type { MethodId, ParamValue } from '../../kernels/index.js';

/** The quantization grid a recovery trained against (compbench's rtn). */
export interface RecoveryGrid {
  readonly method: string;
  readonly bits: number;
  readonly group: number;
  readonly symmetric: boolean;
}

/** compression.json `recovery`: the training that made the compressed model, from its provenance.json. */
export interface RecoveryRecord {
  /** The model it was recovered from (the run config's `recoveredFrom`). */
  readonly recoveredFrom: string;
  /** The training method, in words. */
  readonly method: string;
  readonly grid: RecoveryGrid;
  readonly steps: number;
  readonly seed: number;
  /** sha256 of the training token ids (the recovery's calibration data). */
  readonly trainTokensSha256: string;
  /** The training log (loss curve) and its sha256. */
  readonly log: { readonly path: string; readonly sha256: string };
  readonly firstLoss: number;
  readonly finalLoss: number;
  /** Whether this compression uses the grid the recovery trained against (method, bits, group, symmetry). */
  readonly gridMatches: boolean;
}

interface Provenance {
  readonly recoveredFrom: string;
  readonly method: string;
  readonly grid: RecoveryGrid;
  readonly trainTokens: { readonly sha256: string };
  readonly log: { readonly path: string; readonly sha256: string };
  readonly steps: number;
  readonly seed: number;
  readonly firstLoss: number;
  readonly finalLoss: number;
}

let schemaCheck: SchemaCheck | undefined;
function provenanceSchema(): SchemaCheck {
  schemaCheck ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'recovery-provenance.schema.json'), 'utf8')) as object);
  return schemaCheck;
}

/**
 * The recovery record of the model folder `modelDir`, or undefined when its
 * provenance.json is absent or names no `recoveredFrom` (a model that was not recovered).
 * A provenance.json with `recoveredFrom` that does not match
 * core/schemas/recovery-provenance.schema.json is an InputError naming the file and field.
 */
export function recoveryRecord(modelDir: string, method: MethodId, params: Readonly<Record<string, ParamValue>>): RecoveryRecord | undefined {
  const file = join(modelDir, 'provenance.json');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: malformed JSON (${messageOf(e)}) — fix the syntax`);
  }
  if (typeof value !== 'object' || value === null || !('recoveredFrom' in value)) return undefined;
  const problems = provenanceSchema()(value, { file, text });
  if (problems.length > 0) throw new InputError(`${formatProblem(problems[0])}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
  const p = value as Provenance;
  const gridMatches = method === p.grid.method && params.bits === p.grid.bits && params.group === p.grid.group && (params.symmetric ?? false) === p.grid.symmetric;
  return {
    recoveredFrom: p.recoveredFrom, method: p.method, grid: { method: p.grid.method, bits: p.grid.bits, group: p.grid.group, symmetric: p.grid.symmetric },
    steps: p.steps, seed: p.seed, trainTokensSha256: p.trainTokens.sha256, log: { path: p.log.path, sha256: p.log.sha256 },
    firstLoss: p.firstLoss, finalLoss: p.finalLoss, gridMatches,
  };
}
