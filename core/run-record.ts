/**
 * The run record (`run.json`): the only contract between running and reporting
 * (DESIGN.md §2). Reports and the gate read this and `instances.jsonl`, never runner
 * objects. Nested aggregates are plain JSON produced by `suites/` (kept structural
 * here so `core` imports nothing of ours). Schema: `core/schemas/run-record.schema.json`.
 */
import type { SavingsRecord } from './savings.js';
import type { TemplateSpread } from './stats/template-spread.js';
import type { SuiteRole } from './suite-roles.js';

/** Version of the run-record layout; bump on any incompatible change. */
export const RUN_RECORD_VERSION = 1;

/** How a variant's weights are executed (DESIGN.md §3). */
export type ExecutionForm = 'reference' | 'packed' | 'simulated';

/** The machine a run was measured on. */
export interface HardwareFingerprint {
  readonly cpuModel: string;
  /** CPU feature flags that matter for inference (avx2, avx512f, avx512_vnni, …). */
  readonly cpuFlags: readonly string[];
  readonly logicalCores: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly node: string;
  readonly onnxruntime: string;
  readonly executionProvider: string;
}

/** One model variant evaluated in the run. */
export interface VariantRecord {
  /** Unique id in the run, e.g. `teacher` or `teacher/rtn-w4-g128`. */
  readonly id: string;
  /** The base model's id (`teacher`, `student`). */
  readonly model: string;
  /** Compression method id, or `none` for an uncompressed model. */
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly executionForm: ExecutionForm;
  /** Folder the variant was loaded from (relative to the package root when inside it). */
  readonly dir: string;
  /** sha256 over each onnx/ file's name, a NUL byte and its bytes, in name order: not the sha256sum of a file (see `files`). */
  readonly modelSha256: string;
  readonly sizeBytes: number;
  /** Each onnx/ file with its plain sha256 (as `sha256sum` prints it) and size; absent in records written before it. */
  readonly files?: readonly ModelFileRecord[];
  /** The calibration data a method used (compression.json `calibration`); absent when it used none. */
  readonly calibration?: CalibrationRecord;
  /** Teacher-student lineage: the variant this one was distilled from, if any. */
  readonly distilledFrom?: string;
  /** The model this variant's model was recovered from by quantization-aware training (config `recoveredFrom`), if any. */
  readonly recoveredFrom?: string;
  /**
   * The variant this one is compared with (core/pairing.ts): the model a compressed variant
   * was compressed from, a distilled model's teacher, or the config's `compareTo`; absent
   * for a model that stands on its own.
   */
  readonly comparedTo?: string;
  /** How its forwards hold rows, and whether a per-instance score is the same in any batch, shard or order. */
  readonly batching?: BatchingRecord;
  /** The ids of the run's suites it ran, when its model's config entry named fewer than all (absent: every suite). */
  readonly suites?: readonly string[];
  /** Packed kernels and their settings, from compression.json (absent for reference/simulated). */
  readonly kernels?: KernelSummary;
  /** The packed variant checked against its simulated twin on this machine (absent: nothing packed to check). */
  readonly selfCheck?: SelfCheckRecord;
  /** KV bytes per token of a quantized cache form next to fp32: kv-cache variants (simulated) and GGUF variants with a llama.cpp cache type (packed). */
  readonly kvCache?: KvCacheBytesRecord;
  /** The runtime that scored it (onnxruntime, or llama.cpp with its release, CPU library and KV cache); absent in older records. */
  readonly backend?: VariantBackendRecord;
  /** Parameters and bytes its model file stores, read from the file's tensors (absent in older records). */
  readonly weights?: WeightStorageRecord;
  /** Its KV-cache shape and bytes per 1,000 context tokens at the cache type it ran with (absent in older records). */
  readonly kvCapacity?: KvCapacityRecord;
}

/** Logical parameters of a group of tensors and the bytes the file stores for them. */
export interface TensorGroupBits {
  readonly parameters: number;
  /** Bytes of the tensors, block scales and zero points included. */
  readonly storedBytes: number;
  /** storedBytes × 8 / parameters (0 when the group is empty). */
  readonly bitsPerParameter: number;
}

/** What a variant's model file stores for its weights, counted from the file's tensors (runners/measure/weight-storage.ts). */
export interface WeightStorageRecord extends TensorGroupBits {
  /** The file counted, relative to the variant's folder (`onnx/model.onnx`, `model.gguf`). */
  readonly file: string;
  /** Token embedding and output head (ONNX methods keep them fp32; GGUF types them). */
  readonly embedding: TensorGroupBits;
  /** Every other weight: the layers' matrices, norms, biases. */
  readonly body: TensorGroupBits;
  /** How parameters and bytes were counted, in words. */
  readonly method: string;
}

/** A model's KV-cache shape and what 1,000 context tokens of it take at each cache type. */
export interface KvCapacityRecord {
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  /** layers × kv heads × head dim × (bytes per K element + bytes per V element) × 1,000 for each cache type. */
  readonly types: readonly { readonly type: string; readonly bytesPer1kTokens: number }[];
}

/** A variant's runtime as plain data (runners/backends/backend-info.ts). */
export type VariantBackendRecord =
  | { readonly backend: 'onnxruntime'; readonly version: string }
  | {
      readonly backend: 'llama.cpp';
      readonly nodeLlamaCpp: string;
      readonly llamaCppRelease: string;
      readonly buildType: string;
      /** The ggml CPU library loaded on this machine (`libggml-cpu-<cpuVariant>.so`). */
      readonly cpuVariant: string;
      readonly kvCache: { readonly key: string; readonly value: string };
      readonly flashAttention: boolean;
      readonly threads: number;
    };

/** What a quantized KV cache holds per token (llama.cpp: stored so; kv-cache method: simulated, stored fp32). */
export interface KvCacheBytesRecord {
  /** `q8_0`, `q4_0` or `kivi2`. */
  readonly form: string;
  readonly bytesPerToken: number;
  readonly fp32BytesPerToken: number;
  /** kivi2: bytes of the fp32 residual window held on top (0 otherwise). */
  readonly residualWindowBytes: number;
}

/** Where a variant's calibration text came from and which token sequences were drawn from it (DESIGN.md §2 cache keys). */
export interface CalibrationRecord {
  /** `bundled`: the bundled synthetic corpus; `textFile`: a text file; `suite`: the texts of a suite's instances. */
  readonly kind?: 'bundled' | 'textFile' | 'suite';
  /** The file path, suite id or `bundled-corpus:…` it was read from. */
  readonly source: string;
  /** Plain sha256 of the text's bytes. */
  readonly textSha256: string;
  /** sha256 of the token sequences as little-endian int32: [count, len_0, ids_0…, len_1, ids_1…]. */
  readonly sha256: string;
  readonly nSequences: number;
  readonly seqLen: number;
  readonly seed?: number;
  readonly tokens: number;
  /** Set when the text is not from the model's domain (a model of its own calibrated on the bundled corpus). */
  readonly warning?: string;
}

/** One file of a model folder with its plain sha256. */
export interface ModelFileRecord {
  /** Path relative to the model folder, e.g. `onnx/model.onnx`. */
  readonly path: string;
  /** sha256 of the file's bytes (what `sha256sum` prints). */
  readonly sha256: string;
  readonly bytes: number;
}

/** What executes a packed variant's weights. */
export interface KernelSummary {
  /** ORT ops, e.g. `com.microsoft.MatMulNBits`, `DynamicQuantizeLinear+MatMulInteger+Cast+Mul`. */
  readonly ops: readonly string[];
  readonly accuracyLevel?: number;
  /** W8A8: MatMulInteger operand types (`u8s8`, `u8u8`) and why this form was chosen. */
  readonly int8Operands?: string;
  readonly int8Reason?: string;
}

/**
 * A packed variant's logits on a fixed probe against its simulated twin, on the machine
 * that ran it. `invalid`: the kernel computes something else here; the variant's cells
 * are not scored and the gate fails it.
 */
export interface SelfCheckRecord {
  readonly version: number;
  readonly state: 'passed' | 'invalid';
  /** The packed form whose bound applies (e.g. `MatMulNBits accuracy_level 4`). */
  readonly form: string;
  /** What the twin computes. */
  readonly twin: string;
  /** ‖packed − twin‖₂ / ‖twin‖₂ over the probe's logits. */
  readonly relRmsError: number;
  readonly maxAbsLogitDiff: number;
  /** The form's bound on relRmsError. */
  readonly bound: number;
  readonly probe: { readonly rows: number; readonly tokens: number; readonly seed: number };
  readonly machine: {
    readonly key: string;
    readonly cpuModel: string;
    readonly cpuFlags: readonly string[];
    readonly onnxruntime: string;
    /** A llama.cpp (GGUF) variant's check: the runtime, the ggml CPU library it loaded, the probe's KV cache, the twin's build time. */
    readonly llamaCpp?: { readonly nodeLlamaCpp: string; readonly release: string; readonly cpuVariant: string; readonly kvCache: string; readonly twinBuildMs: number };
  };
  readonly checkedAt: string;
  readonly durationMs: number;
  /** True when this machine's stored result was reused instead of re-running the probe. */
  readonly reused?: boolean;
}


/**
 * `many`: a forward holds many rows, each padded to a width fixed by its own length;
 * `one`: the graph mixes rows (per-tensor activation quantization, W8A8), so a forward
 * holds one. A variant that is not `invariant` is kept out of the per-instance cache.
 */
export interface BatchingRecord {
  readonly rowsPerForward: 'many' | 'one';
  readonly invariant: boolean;
}

/** A suite evaluated in the run. */
export interface SuiteRecord {
  readonly id: string;
  readonly version: string;
  readonly kind: string;
  /** sha256 of suite.json + data (+ few-shot split). */
  readonly hash: string;
  /** Instances evaluated (after --limit). */
  readonly n: number;
  readonly metrics: readonly string[];
  /** The suite's stated chance level (suite.json `chance`), when it has one. */
  readonly chance?: { readonly metric: string; readonly value: number; readonly how: string };
  /** What the suite is for (suite.json `role`, default `other`); absent in records written before roles. */
  readonly role?: SuiteRole;
  /** An open-book suite's closed-book twin (suite.json `closedBookTwin`). */
  readonly closedBookTwin?: string;
  /** The slice tag the role's report section and gate rules break down by (suite.json `roleSlice`, default its first slice). */
  readonly roleSlice?: string;
}

/** The instances of an ok cell that errored (a prompt longer than the context, non-finite logits). */
export interface InstanceErrors {
  readonly count: number;
  readonly of: number;
  readonly ids: readonly string[];
  readonly first: string;
}

/** Suite kinds whose requests score tokens (loglikelihood or rolling): the cells that carry {@link CellAgreement}. */
export const AGREEMENT_SUITE_KINDS: ReadonlySet<string> = new Set(['multiple_choice', 'pair', 'rolling']);

/** An estimate with its 95% interval (instances resampled as units). */
export interface EstimateWithCi {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * A cell's distribution agreement with its baseline (llama.cpp perplexity's `--kl-divergence`
 * figures), over every scored token of its loglikelihood or rolling requests. `not computed`
 * carries the reason and never passes a gate rule.
 */
export type CellAgreement =
  | {
      readonly state: 'computed';
      /** The variant compared with. */
      readonly baseline: string;
      /** `exact`, or `top-K lower bound, K=…` (large vocabularies: KL is then a lower bound). */
      readonly bound: string;
      readonly instances: number;
      readonly tokens: number;
      /** Mean KL(P_baseline ‖ Q_variant) per token, nats. */
      readonly meanKl: EstimateWithCi;
      /** Share of tokens whose most probable next token is the same. */
      readonly sameTopRate: EstimateWithCi;
      /** Δp = q(reference token) − p(reference token) over tokens: mean and percentiles. */
      readonly dp: { readonly mean: number; readonly p1: number; readonly p5: number; readonly p50: number; readonly p95: number; readonly p99: number };
    }
  | { readonly state: 'not computed'; readonly baseline: string; readonly reason: string };

/**
 * How long a generate cell's generations were and how they ended (issue 24): over its
 * scored instances whose record carries a length. Lengths are tokens generated, an EOS or
 * stop-completing token included; percentiles are type 7 (core/stats/quantile.ts).
 */
export interface GenerationLengthRecord {
  /** Scored generations with a recorded length. */
  readonly n: number;
  readonly meanTokens: number;
  readonly medianTokens: number;
  readonly p95Tokens: number;
  readonly maxTokens: number;
  /** Generations that ended at the token limit (finish reason `length`), and their share of n. */
  readonly hitLimit: number;
  readonly hitLimitRate: number;
  /** Count per finish reason (`eos`, `stop`, `length`). */
  readonly finishReasons: Readonly<Record<string, number>>;
  /** Instances that errored (a non-finite distribution, a prompt too long): no length. */
  readonly errored: number;
  /** Scored instances without a recorded length (records written before lengths were recorded). */
  readonly unrecorded: number;
}

/** One variant × suite cell; failures are values. */
export type CellRecord =
  | {
      readonly state: 'ok';
      readonly variantId: string;
      readonly suiteId: string;
      readonly durationMs: number;
      /** `SuiteAggregate` from suites/aggregate.ts. */
      readonly aggregate: Readonly<Record<string, unknown>>;
      /** `SuiteComparison` against the variant's `comparedTo` (absent for a variant that stands on its own). */
      readonly vsBaseline?: Readonly<Record<string, unknown>>;
      /** Instances that could not run (excluded from every metric): how many, which (first 50) and the first reason. */
      readonly instanceErrors?: InstanceErrors;
      /** Distribution agreement with `comparedTo` (loglikelihood and rolling suites of a compared variant). */
      readonly agreement?: CellAgreement;
      /** Generation lengths and endings (generate suites). */
      readonly generation?: GenerationLengthRecord;
    }
  | {
      readonly state: 'errored';
      readonly variantId: string;
      readonly suiteId: string;
      readonly durationMs: number;
      readonly error: string;
    };

/** Summary statistics of repeated timings, in milliseconds. */
export interface TimingStats {
  /** Number of timed samples (after warm-up). */
  readonly samples: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** An energy figure with how it was obtained (DESIGN.md §8). */
export interface EnergyRecord {
  /** `rapl`/`nvml`: measured by a counter; `estimated`: CPU time × TDP per core. */
  readonly provenance: 'rapl' | 'nvml' | 'estimated';
  readonly joules: number;
  readonly joulesPerToken: number;
  /** For `estimated`: the TDP per core assumed, in watts, and the formula used. */
  readonly tdpWattsPerCore?: number;
  readonly cpuSeconds?: number;
  readonly formula?: string;
}

/** Speed, memory and energy of one variant, measured alone in its own child process. */
export type MeasurementRecord =
  | {
      readonly state: 'measured';
      readonly variantId: string;
      readonly sizeBytes: number;
      /** VmHWM of a child process that only loaded and ran this variant. */
      readonly peakRssBytes: number;
      readonly loadMs: number;
      readonly intraOpNumThreads: number;
      /** Time to first token for a fixed prompt length. */
      readonly prefill: TimingStats & { readonly promptTokens: number };
      /** Per-token decode latency after warm-up. */
      readonly decode: TimingStats & { readonly tokens: number; readonly warmupTokens: number; readonly tokensPerS: number };
      readonly energy: EnergyRecord;
      /**
       * True when these figures were replayed from the measurement cache (`measurement.reuse`)
       * instead of measured by this run: they repeat an earlier measurement, so they are no
       * evidence of run-to-run noise. Absent: measured by this run.
       */
      readonly replayed?: boolean;
    }
  | {
      /** Simulated (dequantized) variants get no speed, memory or energy figure. */
      readonly state: 'not-applicable';
      readonly variantId: string;
      readonly sizeBytes: number;
      readonly reason: string;
    }
  | { readonly state: 'errored'; readonly variantId: string; readonly error: string };

/**
 * A point-estimate rule's pass judged against the suite's power (issue 24): `underpowered`
 * when the loss the rule allows (`tolerance`, metric units) is below the minimum
 * detectable effect at α = 0.05, power 0.8 (`mde`), `powered` otherwise.
 */
export interface PointPower {
  readonly status: 'powered' | 'underpowered';
  readonly tolerance: number;
  readonly mde: number;
  /** Items the MDE is computed for (effective n with groups). */
  readonly m: number;
  /** `disagreement`: k·√(ρ_d/m); `bootstrap-se`: k·SE of Δ; `flip-rate`: k²/(m + k²) (core/stats/power.ts). */
  readonly method: 'disagreement' | 'bootstrap-se' | 'flip-rate';
  readonly disagreementRate?: number;
}

/** A non-inferiority rule that failed for width: the items that would let its interval decide (n·(h/d)²). */
export interface WidthPower {
  readonly status: 'too-wide';
  /** Half-width of the interval on the worse side, metric units. */
  readonly halfWidth: number;
  /** Distance from the estimate to the margin, metric units. */
  readonly distance: number;
  readonly n: number;
  readonly itemsNeeded: number;
}

/** What the gate found about a rule's power to fail; `unknown`: a point rule passed on a record without power figures. */
export type RulePower = PointPower | WidthPower | { readonly status: 'unknown'; readonly reason: string };

/** One gate rule applied to one cell (or slice), DESIGN.md §7. */
export interface GateRuleResult {
  /** Rule id from the policy (e.g. `knowledge-closed.noninferiority`). */
  readonly rule: string;
  readonly kind: string;
  readonly variantId: string;
  readonly suiteId?: string;
  readonly metric?: string;
  /** `tag=value` when the rule applies to a slice. */
  readonly slice?: string;
  /** The value tested, or null when the cell is missing/errored/too small (fail-closed). */
  readonly value: number | null;
  readonly bound: number;
  /** `skip`: the rule does not apply and says so (a latency rule on a simulated variant under `simulated: "skip"`). */
  readonly verdict: 'pass' | 'fail' | 'skip';
  /** Why, in words (always set for a fail). */
  readonly reason: string;
  /** The rule's power to fail, where the gate judged it (point-estimate passes, non-inferiority failures for width). */
  readonly power?: RulePower;
}

/** The gate's verdict over a run. */
export interface GateVerdict {
  readonly verdict: 'pass' | 'fail';
  /** Where the policy came from (a file path, `config.gatePolicy`, or `default (derived from the run's suite roles)`) and its sha256. */
  readonly policySource: string;
  readonly policySha256: string;
  /** One line on what the policy covers (the derived default says which suites and why some rules are absent). */
  readonly policyDescription?: string;
  readonly rules: readonly GateRuleResult[];
}

/** One queue worker's share of a run (from the shards it returned). */
export interface WorkerShare {
  /** `hostname:pid` of the worker process. */
  readonly id: string;
  readonly shards: number;
  readonly instances: number;
  /** Time its processors spent on these shards. */
  readonly busyMs: number;
  readonly instancesPerS: number;
  /** Shards it returned as failed values (time budget, fatal errors). */
  readonly failedShards: number;
}

/** The executor of a run: provenance, never an input to statistics, gate or reports. */
export interface ExecutorRecord {
  readonly kind: 'local' | 'queue';
  /** Queue: the queue's name and Redis host/db (never a password). */
  readonly queue?: string;
  readonly workers?: readonly WorkerShare[];
  /** Queue: attempts lost to a crashed processor or a stalled (killed) worker and retried. */
  readonly retriedAttempts?: number;
  /** Queue: shards that failed every attempt (their cells are errored). */
  readonly failedJobs?: number;
  /** Queue: shards whose result was already in the queue (re-enqueued by a resume: a no-op). */
  readonly reusedJobs?: number;
}

/** A cell scored under one of a suite's `templateVariants` (never a member of `cells`). */
export type TemplateCellRecord = CellRecord & { readonly template: string };

/**
 * Prompt sensitivity (docs/templates.md): the parent of each comparison is also scored
 * under each of a suite's `templateVariants` (every variant with `--all-templates`).
 * These cells stay out of `cells`, the gate and every primary-template figure.
 */
export interface TemplateSensitivityRecord {
  /** True: every variant was scored under every template (`--all-templates`); false: parents only. */
  readonly allTemplates: boolean;
  /** Each suite with variants: its templates, `primary` first. */
  readonly suites: readonly { readonly suiteId: string; readonly templates: readonly { readonly id: string; readonly template: string }[] }[];
  /** The non-primary cells (Δ against the parent under the same template, when both were scored under it). */
  readonly cells: readonly TemplateCellRecord[];
  /** Per variant scored under the templates × suite × metric: its scores across templates, range and SD. */
  readonly spreads: readonly { readonly variantId: string; readonly suiteId: string; readonly metric: string; readonly spread: TemplateSpread }[];
}

/** `run.json`. */
export interface RunRecord {
  readonly schemaVersion: typeof RUN_RECORD_VERSION;
  readonly tool: 'compbench';
  readonly runId: string;
  readonly createdAt: string;
  readonly harness: { readonly version: string; readonly gitSha: string | null };
  readonly hardware: HardwareFingerprint;
  /** The resolved configuration the run used. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The first model (or the config's `baseline`): where methods without `models` apply.
   * Comparisons follow each variant's `comparedTo` when `pairing` is `parent`; a record
   * without `pairing` was written when every variant was compared with this one.
   */
  readonly baseline: string;
  /** `parent`: every comparison is against the variant's own `comparedTo` (core/pairing.ts). */
  readonly pairing?: 'parent';
  readonly variants: readonly VariantRecord[];
  readonly suites: readonly SuiteRecord[];
  readonly cells: readonly CellRecord[];
  /** Per-variant speed/memory/energy (absent when measurement was off). */
  readonly measurements?: readonly MeasurementRecord[];
  /** What each variant with a parent saves against it (core/savings.ts; absent when measurement was off). */
  readonly savings?: readonly SavingsRecord[];
  /** What the per-instance result cache gave: reused, computed, and lines rejected as invalid (recomputed). */
  readonly resultCache?: { readonly reusedInstances: number; readonly computedInstances: number; readonly rejectedLines: number };
  /** Which executor evaluated the shards, and for a queue, who did the work (absent in records before it). */
  readonly executor?: ExecutorRecord;
  /** The gate's verdict, when the run computed one. */
  readonly gate?: GateVerdict;
  /** Prompt sensitivity, when a suite lists `templateVariants` (absent otherwise). */
  readonly templateSensitivity?: TemplateSensitivityRecord;
  /** True when every cell is `ok`. */
  readonly complete: boolean;
}
