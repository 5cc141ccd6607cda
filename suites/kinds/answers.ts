/**
 * Accepted answers from an answer field: a string or number is one alias, a list of
 * strings or numbers is several. Undefined when the value is none of these or empty.
 */
export function answerAliases(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return undefined;
  if (!list.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return undefined;
  return list.map(String);
}

/** The choice strings of a choices field, or undefined unless it is a list of ≥ 2 strings. */
export function choiceList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length >= 2 && value.every((v) => typeof v === 'string') ? value : undefined;
}

/**
 * The gold choice's index from an answer field: an integer index, or a string equal to
 * exactly one choice. Undefined otherwise.
 */
export function goldIndex(value: unknown, choices: readonly string[]): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < choices.length ? value : undefined;
  if (typeof value === 'string') {
    const at = choices.indexOf(value);
    return at >= 0 && choices.indexOf(value, at + 1) < 0 ? at : undefined;
  }
  return undefined;
}
