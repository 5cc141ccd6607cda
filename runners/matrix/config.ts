/**
 * The run config (`compbench run --config FILE`): JSON checked by
 * `core/schemas/run-config.schema.json`; absent fields take the bundled default
 * (`runners/matrix/default-config.json`). Paths are relative to the config file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { compileSchema, formatProblem, jsonPointerLines, unknownNameMessage, type SchemaCheck } from '../../core/schemas/index.js';
import type { MethodId } from '../../kernels/index.js';
import type { CalibrationSpec } from '../compress/calibration-set.js';
import { resolveChangeEnvelope, type EnvelopeRecord } from './change-envelope.js';
import { resolveModelSuites } from './model-suites.js';
import { needsImport, readSourceModel } from '../import/index.js';
import { locateModel } from '../backends/locate-model.js';
import { readGgufFile } from '../formats/gguf/index.js';

/** A model evaluated as it is. */
export interface ModelEntry {
  readonly id: string;
  readonly dir: string;
  /** The model it was distilled from: it is compared with that teacher. */
  readonly distilledFrom?: string;
  /** Another model of the config to compare it with; without this or distilledFrom it stands on its own. */
  readonly compareTo?: string;
  /**
   * The model this one was recovered from by quantization-aware training (its fp32 latent
   * weights): it and its compressed variants are compared with that model, so a recovered
   * model's `rtn` variant faces the same fp32 model as the PTQ variant of equal bits.
   */
  readonly recoveredFrom?: string;
  /** This model's calibration text (one of textFile, suite, bundled) and sampling; absent: the run's `calibration`. */
  readonly calibration?: ModelCalibration;
  /** The run's suites this model and its variants run (resolved: absolute folders, run order); absent: all of them. */
  readonly suites?: readonly string[];
}

/** A model's own calibration: a text file, a suite (id or folder), or the bundled corpus, with optional sampling. */
export interface ModelCalibration extends Omit<CalibrationSpec, 'textFile' | 'suite'> {
  readonly textFile?: string;
  readonly suite?: string;
  readonly bundled?: boolean;
}

/** One methods[] entry: the method, where it applies, and params (a list sweeps). */
export interface MethodEntry {
  readonly method: MethodId;
  readonly models?: readonly string[];
  readonly form?: 'packed' | 'simulated';
  readonly accuracyLevel?: number;
  readonly includeHead?: boolean;
  readonly id?: string;
  readonly [param: string]: unknown;
}

/** Keys of a methods[] entry that are not method params. */
export const METHOD_ENTRY_KEYS = ['method', 'models', 'form', 'accuracyLevel', 'includeHead', 'id'] as const;

/** How cells run. */
export interface ExecutionSettings {
  readonly workers: number;
  readonly intraOpNumThreads: number;
  readonly shardSize: number;
  readonly cellTimeoutS: number;
}

/** The config with defaults filled in and paths made absolute. */
export interface ResolvedRunConfig {
  /** The config file, or `default` for the bundled one. */
  readonly source: string;
  readonly models: readonly ModelEntry[];
  readonly baseline: string;
  readonly methods: readonly MethodEntry[];
  /** Suite folders (absolute), in config order. */
  readonly suites: readonly string[];
  readonly seed: number;
  readonly limit: number | null;
  readonly calibration: CalibrationSpec;
  readonly measurement: { readonly enabled: boolean; readonly reuse: boolean; readonly settings: Readonly<Record<string, unknown>> };
  readonly execution: ExecutionSettings;
  readonly cacheDir: string;
  /** A file's path, sha256 and content, or an inline object (runners/matrix/change-envelope.ts). */
  readonly changeEnvelope: EnvelopeRecord;
  /** Intended purpose, human oversight and sign-off for the change records (absent fields read 'not provided'). */
  readonly changeRecord?: Readonly<Record<string, unknown>>;
  readonly gatePolicy: string | Readonly<Record<string, unknown>>;
  /** What an hour of the measured hardware costs, for cost per million generated tokens (absent: no cost figure). */
  readonly cost?: { readonly usdPerHour: number };
}

/** Overrides from command-line flags. */
export interface ConfigOverrides {
  readonly limit?: number;
  readonly workers?: number;
  readonly cacheDir?: string;
}

/** The bundled default config file. */
export const DEFAULT_CONFIG_FILE = packagePath('runners', 'matrix', 'default-config.json');

let schemaCheck: SchemaCheck | undefined;
function runConfigSchema(): SchemaCheck {
  schemaCheck ??= compileSchema(JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-config.schema.json'), 'utf8')) as object);
  return schemaCheck;
}

/** Reads and checks a config file (every problem is an InputError naming file, line and JSON path). */
export function readConfigFile(file: string): { raw: Record<string, unknown>; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`--config ${file}: cannot read it (${messageOf(e)}); give a readable JSON file`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: malformed JSON (${messageOf(e)}) — fix the syntax`);
  }
  const problems = runConfigSchema()(raw, { file, text });
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
    throw new InputError(`${formatProblem(problems[0])}${more}`);
  }
  return { raw: raw as Record<string, unknown>, text };
}

/**
 * Loads the config (the bundled default when `file` is undefined), fills defaults from
 * the bundled one, applies flag overrides, and checks models, suites and references.
 */
export function loadRunConfig(file: string | undefined, overrides: ConfigOverrides = {}): ResolvedRunConfig {
  const defaults = readConfigFile(DEFAULT_CONFIG_FILE).raw;
  const source = file === undefined ? DEFAULT_CONFIG_FILE : resolve(file);
  const user = file === undefined ? { raw: defaults, text: '' } : readConfigFile(source);
  const base = dirname(source);
  const defaultBase = dirname(DEFAULT_CONFIG_FILE);
  const pick = <T>(key: string): { value: T; dir: string } =>
    key in user.raw ? { value: user.raw[key] as T, dir: base } : { value: defaults[key] as T, dir: defaultBase };
  const where = (pointer: string): string => {
    const line = user.text ? jsonPointerLines(user.text).get(pointer) : undefined;
    return line === undefined ? source : `${source}:${line}`;
  };

  const suitesPick = pick<string[]>('suites');
  const suites = suitesPick.value.map((ref, i) => resolveSuite(ref, suitesPick.dir, `${where(`/suites/${i}`)}: $.suites[${i}]`));
  const modelsPick = pick<ModelEntry[]>('models');
  // Default models meant for suites the user's own "suites" list lacks are left out (as default methods for absent models are).
  const models = resolveModelSuites(
    modelsPick.value,
    { refs: suitesPick.value, dirs: suites },
    (ref, at) => resolveSuite(ref, modelsPick.dir, at),
    (i, j) => `${where(`/models/${i}/suites/${j}`)}: $.models[${i}].suites[${j}]`,
    !('models' in user.raw) && 'suites' in user.raw,
  ).map((m, i) => ({
    ...m,
    dir: checkModelDir(resolve(modelsPick.dir, m.dir), `${where(`/models/${i}/dir`)}: $.models[${i}].dir`),
    ...(m.calibration ? { calibration: resolveModelCalibration(m.calibration, modelsPick.dir, (key) => `${where(`/models/${i}/calibration/${key}`)}: $.models[${i}].calibration.${key}`) } : {}),
  }));
  const ids = models.map((m) => m.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new InputError(`${source}: $.models: model id '${dup}' appears twice — give each model its own id`);
  models.forEach((m, i) => {
    for (const key of ['distilledFrom', 'compareTo', 'recoveredFrom'] as const) {
      const ref = m[key];
      if (ref === undefined) continue;
      if (ref === m.id) throw new InputError(`${where(`/models/${i}/${key}`)}: $.models[${i}].${key}: model '${m.id}' cannot be compared with itself — name another model or remove "${key}"`);
      if (!ids.includes(ref)) throw new InputError(`${where(`/models/${i}/${key}`)}: $.models[${i}].${key}: ${unknownNameMessage('model', ref, ids)}`);
    }
  });
  const defaultBaseline = defaults.baseline as string;
  const baseline = 'baseline' in user.raw ? (user.raw.baseline as string) : 'models' in user.raw || !ids.includes(defaultBaseline) ? ids[0] : defaultBaseline;
  if (!ids.includes(baseline)) throw new InputError(`${where('/baseline')}: $.baseline: ${unknownNameMessage('model', baseline, ids)}`);
  // Default methods meant for the bundled student apply only where such a model is configured.
  const methods = 'methods' in user.raw
    ? (user.raw.methods as MethodEntry[])
    : (defaults.methods as MethodEntry[]).filter((m) => m.models === undefined || m.models.every((id) => ids.includes(id)));
  methods.forEach((m, i) => {
    (m.models ?? []).forEach((id, j) => {
      if (!ids.includes(id)) throw new InputError(`${where(`/methods/${i}/models/${j}`)}: $.methods[${i}].models[${j}]: ${unknownNameMessage('model', id, ids)}`);
    });
  });
  const calibrationPick = pick<ResolvedRunConfig['calibration']>('calibration');
  if (calibrationPick.value.textFile !== undefined && calibrationPick.value.suite !== undefined) {
    throw new InputError(`${where('/calibration/suite')}: $.calibration: give "textFile" or "suite", not both`);
  }
  const calibration = calibrationPick.value.textFile
    ? { ...calibrationPick.value, textFile: resolve(calibrationPick.dir, calibrationPick.value.textFile) }
    : calibrationPick.value.suite
      ? { ...calibrationPick.value, suite: resolveSuite(calibrationPick.value.suite, calibrationPick.dir, `${where('/calibration/suite')}: $.calibration.suite`) }
      : calibrationPick.value;
  const cachePick = pick<string | undefined>('cacheDir');
  const cacheDir = overrides.cacheDir ?? (cachePick.value ? resolve(cachePick.dir, cachePick.value) : packagePath('.cache', 'compbench'));
  const gatePick = pick<ResolvedRunConfig['gatePolicy']>('gatePolicy');
  const gate = typeof gatePick.value === 'string' && gatePick.value !== 'default' ? resolve(gatePick.dir, gatePick.value) : gatePick.value ?? 'default';
  if (typeof gate === 'string' && gate !== 'default' && !existsSync(gate)) {
    throw new InputError(`${where('/gatePolicy')}: $.gatePolicy: policy file ${gate} not found — give a path relative to the config file, an inline policy, or "default"`);
  }
  return {
    source: file === undefined ? 'default' : source,
    models,
    baseline,
    methods,
    suites,
    seed: pick<number>('seed').value,
    limit: overrides.limit ?? pick<number | null>('limit').value ?? null,
    calibration,
    measurement: { settings: {}, reuse: true, ...pick<Partial<ResolvedRunConfig['measurement']>>('measurement').value, enabled: pick<{ enabled: boolean }>('measurement').value.enabled },
    execution: resolveExecution({ ...(defaults.execution as object), ...((user.raw.execution as object | undefined) ?? {}) }, overrides.workers),
    cacheDir,
    changeEnvelope: resolveChangeEnvelope(pick<unknown>('changeEnvelope').value, pick<unknown>('changeEnvelope').dir, where('/changeEnvelope')),
    changeRecord: pick<Record<string, unknown> | undefined>('changeRecord').value ?? {},
    gatePolicy: gate,
    ...(user.raw.cost === undefined ? {} : { cost: user.raw.cost as { usdPerHour: number } }),
  };
}

/**
 * The calibration a model's variants are compressed with: its own entry's source and
 * sampling over the run's `calibration` (whose text file a model's own source replaces).
 */
export function calibrationFor(config: Pick<ResolvedRunConfig, 'models' | 'calibration'>, modelId: string): CalibrationSpec {
  const own = config.models.find((m) => m.id === modelId)?.calibration;
  if (!own) return config.calibration;
  const { textFile: _t, suite: _s, ...sampling } = config.calibration;
  const { bundled: _b, textFile, suite, ...ownSampling } = own;
  return { ...sampling, ...ownSampling, ...(textFile !== undefined ? { textFile } : {}), ...(suite !== undefined ? { suite } : {}) };
}

function resolveModelCalibration(c: ModelCalibration, base: string, where: (key: string) => string): ModelCalibration {
  const sources = (['textFile', 'suite', 'bundled'] as const).filter((k) => c[k] !== undefined && c[k] !== false);
  if (sources.length !== 1) {
    const key = sources[1] ?? 'textFile';
    throw new InputError(`${where(key)}: give exactly one calibration source — "textFile", "suite" or "bundled": true (got ${sources.length === 0 ? 'none' : sources.join(' and ')})`);
  }
  if (c.textFile !== undefined) return { ...c, textFile: resolve(base, c.textFile) };
  if (c.suite !== undefined) return { ...c, suite: resolveSuite(c.suite, base, where('suite')) };
  return c;
}

/** Workers × intra-op threads = cores by default (DESIGN.md §10). */
function resolveExecution(e: Partial<ExecutionSettings>, workersFlag: number | undefined): ExecutionSettings {
  const cores = availableParallelism();
  const workers = workersFlag ?? e.workers ?? cores;
  if (!Number.isInteger(workers) || workers < 1) throw new InputError(`--workers must be a positive integer (got ${workers})`);
  return {
    workers,
    intraOpNumThreads: e.intraOpNumThreads ?? Math.max(1, Math.floor(cores / workers)),
    shardSize: e.shardSize ?? 128,
    cellTimeoutS: e.cellTimeoutS ?? 1800,
  };
}

function checkModelDir(dir: string, where: string): string {
  const onnx = join(dir, 'onnx', 'model.onnx');
  try {
    // a .gguf file, or a folder holding one, runs on llama.cpp: its header is checked now
    const located = existsSync(dir) ? locateModel(dir) : undefined;
    if (located?.backend === 'llama.cpp') {
      readGgufFile(located.ggufPath);
      return dir;
    }
    readFileSync(join(dir, 'config.json'), 'utf8');
    // a Hugging Face safetensors folder is imported before the run (runners/import); its architecture is checked now
    if (needsImport(dir)) readSourceModel(dir);
    else if (!statSync(onnx).isFile()) throw new Error(`${onnx} is not a file`);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: ${e.message}`);
    throw new InputError(`${where}: model folder ${dir} is not readable (${messageOf(e)}) — give a folder with config.json, tokenizer.json and onnx/model.onnx, a Hugging Face safetensors folder, or a .gguf file`);
  }
  return dir;
}

/** Bundled suite ids: the folders of `suites/` holding a suite.json. */
export function bundledSuiteIds(): string[] {
  const root = packagePath('suites');
  return listDirs(root).filter((d) => existsSync(join(root, d, 'suite.json')));
}

function listDirs(root: string): string[] {
  try {
    return readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory()).sort();
  } catch {
    return [];
  }
}

function resolveSuite(ref: string, base: string, where: string): string {
  const bundled = packagePath('suites', ref);
  if (/^[A-Za-z0-9._-]+$/u.test(ref) && existsSync(join(bundled, 'suite.json'))) return bundled;
  const path = resolve(base, ref);
  if (existsSync(path) && (statSync(path).isFile() || existsSync(join(path, 'suite.json')))) return path;
  throw new InputError(`${where}: ${unknownNameMessage('suite', ref, bundledSuiteIds())} (or give a folder holding suite.json, relative to the config file)`);
}
