import type { Outcome } from '../metrics/types.js';
import type { Instance, SuiteRequest, SuiteResponse, SuiteSpec } from '../spec.js';
import { renderTemplate, type TemplatePart } from '../template.js';

/** A problem with one instance's fields; load.ts adds the file and line. */
export interface FieldProblem {
  /** JSON path inside the instance, e.g. `$.choices`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** What a kind needs to build one instance's requests. */
export interface BuildContext {
  readonly spec: SuiteSpec;
  /** The parsed `template` (or the kind's default). */
  readonly template: readonly TemplatePart[];
  readonly instance: Instance;
  /** Few-shot examples, already sampled (empty without few-shot). */
  readonly shots: readonly Instance[];
}

/** How one request kind turns instances into requests and responses into an outcome. */
export interface KindDef {
  readonly description: string;
  /** The template used when suite.json gives none; undefined: a template is required or unused. */
  readonly defaultTemplate?: string;
  /** The kind renders `template` (if false, a template in suite.json is an error). */
  readonly usesTemplate: boolean;
  /** The kind supports few-shot examples. */
  readonly fewShot: boolean;
  /**
   * Kind-specific checks of an instance's fields (answers, choices, targets, pair
   * sentences). Called for every object line, even one missing a template field.
   */
  checkInstance(spec: SuiteSpec, fields: Readonly<Record<string, unknown>>, template: readonly TemplatePart[]): FieldProblem[];
  /** The instance's requests, in the order {@link KindDef.readOutcome} reads the responses. */
  buildRequests(ctx: BuildContext): SuiteRequest[];
  /** The outcome from the responses, or a one-line reason when a request failed or an answer is malformed. */
  readOutcome(spec: SuiteSpec, instance: Instance, responses: readonly SuiteResponse[]): Outcome | string;
}

/** Default text between a prompt and its answer (lm-evaluation-harness' target_delimiter). */
export const DEFAULT_TARGET_DELIMITER = ' ';
/** Default text between few-shot examples. */
export const DEFAULT_SHOT_SEPARATOR = '\n\n';

/**
 * The prompt with its few-shot examples in front: each example is its rendered template,
 * the delimiter and its answer, joined by the separator.
 */
export function promptWithShots(ctx: BuildContext, demoAnswer: (fields: Readonly<Record<string, unknown>>) => string): string {
  const prompt = renderTemplate(ctx.template, ctx.instance.fields);
  if (ctx.shots.length === 0) return prompt;
  const delimiter = ctx.spec.targetDelimiter ?? DEFAULT_TARGET_DELIMITER;
  const separator = ctx.spec.fewShot?.separator ?? DEFAULT_SHOT_SEPARATOR;
  const demos = ctx.shots.map((s) => renderTemplate(ctx.template, s.fields) + delimiter + demoAnswer(s.fields));
  return [...demos, prompt].join(separator);
}

/** A field path for messages: `$.name` or `$["odd name"]`. */
export function fieldPath(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `$.${name}` : `$[${JSON.stringify(name)}]`;
}

/** The responses if none failed and all have the expected type, else a one-line reason. */
export function expectResponses<T extends SuiteResponse['type']>(
  responses: readonly SuiteResponse[],
  type: T,
  count: number,
): Extract<SuiteResponse, { type: T }>[] | string {
  const failed = responses.find((r) => r.type === 'error');
  if (failed && failed.type === 'error') return `request failed: ${failed.error}`;
  if (responses.length !== count) return `expected ${count} responses, got ${responses.length}`;
  const wrong = responses.find((r) => r.type !== type);
  if (wrong) return `expected ${type} responses, got ${wrong.type}`;
  return responses as Extract<SuiteResponse, { type: T }>[];
}
