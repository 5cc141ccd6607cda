/** One template's score of a metric (a cell's overall value under that template). */
export interface TemplateScore {
  /** `primary` or a `templateVariants` id. */
  readonly template: string;
  /** null: the cell errored or scored nothing. */
  readonly value: number | null;
  readonly n: number;
}

/**
 * How far one model's score of a metric moves when only the prompt template changes:
 * the noise floor a compression effect (a Δ under the primary template) must exceed.
 */
export interface TemplateSpread {
  readonly scores: readonly TemplateScore[];
  /** Templates with a value (the statistics below are over these). */
  readonly templates: number;
  readonly min: number | null;
  readonly max: number | null;
  /** max − min; null with fewer than two values. */
  readonly range: number | null;
  readonly mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than two values. */
  readonly sd: number | null;
  /** True when every template has a value (an errored template cell leaves the spread partial). */
  readonly complete: boolean;
}

/** The spread of a metric across templates (range, sample SD) from each template's score. */
export function templateSpread(scores: readonly TemplateScore[]): TemplateSpread {
  const values = scores.flatMap((s) => (s.value === null || !Number.isFinite(s.value) ? [] : [s.value]));
  const k = values.length;
  const complete = k === scores.length;
  if (k === 0) return { scores, templates: 0, min: null, max: null, range: null, mean: null, sd: null, complete };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const sd = k < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (k - 1));
  return { scores, templates: k, min, max, range: k < 2 ? null : max - min, mean, sd, complete };
}
