import type {
  GenerateRequest,
  GenerateResponse,
  LoglikelihoodRequest,
  LoglikelihoodResponse,
  RollingRequest,
  RollingResponse,
} from '../core/requests.js';
import type { SuiteRole } from '../core/suite-roles.js';
import type { TemplatePart } from './template.js';

/** How instances become requests: the keys of the kind registry and the schema's `kind` enum. */
export type RequestKindId = 'multiple_choice' | 'generate' | 'rolling' | 'pair';

/** In-context examples drawn from a separate split. */
export interface FewShotSpec {
  readonly k: number;
  readonly seed?: number;
  /** JSONL file relative to suite.json. */
  readonly split: string;
  readonly separator?: string;
}

/** One alternative prompt template of a suite: its id and its text. */
export interface TemplateVariantSpec {
  readonly id: string;
  readonly template: string;
}

/** A suite.json as validated by `core/schemas/suite.schema.json` (field meanings live there). */
export interface SuiteSpec {
  readonly id: string;
  readonly version: string;
  readonly description?: string;
  /** JSONL file relative to suite.json. */
  readonly dataset: string;
  readonly kind: RequestKindId;
  readonly template?: string;
  /** Alternative phrasings of `template` with the same placeholders (prompt sensitivity, suites/template-variants.ts). */
  readonly templateVariants?: readonly TemplateVariantSpec[];
  readonly idField?: string;
  readonly groupField?: string;
  readonly answerField?: string;
  readonly choicesField?: string;
  readonly targetDelimiter?: string;
  readonly targetsField?: string;
  /** rolling with targets: score each target at its `first` (default) or `last` whole-word occurrence. */
  readonly targetOccurrence?: 'first' | 'last';
  readonly pairFields?: { readonly more: string; readonly less: string };
  readonly fewShot?: FewShotSpec;
  readonly generation?: { readonly maxNewTokens: number; readonly stop?: readonly string[] };
  readonly metrics: readonly string[];
  readonly slices?: readonly string[];
  readonly maxCiWidth?: number;
  /** What the suite is for (default `other`): reports and the default gate select suites by role. */
  readonly role?: SuiteRole;
  /** Role `knowledge-open`: the id of its closed-book twin. */
  readonly closedBookTwin?: string;
  /** The slice tag the role breaks down by (default: the first of `slices`). */
  readonly roleSlice?: string;
  readonly chance?: {
    readonly metric: string;
    readonly value: number;
    readonly bySlice?: { readonly tag: string; readonly values: Readonly<Record<string, number>> };
    readonly how: string;
  };
}

/** One dataset record, checked: a unique id, its tags, its item group and its source line. */
export interface Instance {
  readonly id: string;
  /** 1-based line in the dataset file. */
  readonly line: number;
  /** The record as written (template fields, answers, choices…). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Slice tags from `fields.tags`, values as strings. */
  readonly tags: Readonly<Record<string, string>>;
  /** Item shared by counterfactual variants (from `groupField`), if any. */
  readonly groupId?: string;
  /** sha256 of the record's JSON text: part of a result's cache key. */
  readonly hash: string;
}

/** One request of the shared vocabulary, tagged by method. */
export type SuiteRequest =
  | { readonly type: 'loglikelihood'; readonly request: LoglikelihoodRequest }
  | { readonly type: 'rolling'; readonly request: RollingRequest }
  | { readonly type: 'generate'; readonly request: GenerateRequest };

/** The requests one instance needs, in the order its scorer reads the responses. */
export interface InstanceRequests {
  readonly instanceId: string;
  readonly requests: readonly SuiteRequest[];
}

/** A suite ready to run: its spec, where it lives, its instances and content hash. */
export interface LoadedSuite {
  readonly spec: SuiteSpec;
  /** Absolute path of suite.json. */
  readonly file: string;
  /** Absolute folder of suite.json (dataset paths are relative to it). */
  readonly dir: string;
  /** The parsed prompt template (the kind's default when suite.json has none; empty for pair). */
  readonly template: readonly TemplatePart[];
  readonly instances: readonly Instance[];
  /** Few-shot examples per instance id (empty arrays when the suite has none). */
  readonly shots: ReadonlyMap<string, readonly Instance[]>;
  /** sha256 over suite.json, the dataset and the few-shot split (and the template variant, if any): part of a result's cache key. */
  readonly hash: string;
  /** The `templateVariants` id `template` comes from; absent: the suite's primary template. */
  readonly templateId?: string;
}

/** The answer to one {@link SuiteRequest}; a failed request is a value, not an exception. */
export type SuiteResponse =
  | { readonly type: 'loglikelihood'; readonly response: LoglikelihoodResponse }
  | { readonly type: 'rolling'; readonly response: RollingResponse }
  | { readonly type: 'generate'; readonly response: GenerateResponse }
  | { readonly type: 'error'; readonly error: string; readonly isFatal: boolean };
