/**
 * JSON as a person would write the starter files: one top-level field per line, one
 * list entry per line, small objects and lists of numbers or short strings inline.
 */

/** A value on one line: `{ "a": 1, "b": [8, 4] }`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

/** A top-level field's value: arrays of objects or of long strings get one entry per line. */
function field(value: unknown): string {
  if (Array.isArray(value) && value.some((v) => (v !== null && typeof v === 'object') || (typeof v === 'string' && v.length > 40))) {
    return `[\n${value.map((v) => `    ${inline(v)}`).join(',\n')}\n  ]`;
  }
  return inline(value);
}

/** The object as indented JSON text (parses back to an equal object), ending in a newline. */
export function starterJson(value: Readonly<Record<string, unknown>>): string {
  return `{\n${Object.entries(value).map(([k, v]) => `  ${JSON.stringify(k)}: ${field(v)}`).join(',\n')}\n}\n`;
}
