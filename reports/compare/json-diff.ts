import { createHash } from 'node:crypto';

/** One difference between two JSON values, at a JSON path such as `$.models[1].dir`. */
export interface JsonDifference {
  readonly path: string;
  /** The value in A, or undefined when the path exists only in B. */
  readonly a?: unknown;
  /** The value in B, or undefined when the path exists only in A. */
  readonly b?: unknown;
}

/** JSON with object keys sorted at every depth, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** sha256 (hex) of {@link canonicalJson}: a content hash independent of key order. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/u;

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The leaf-level differences between two JSON values, as JSON paths: objects are
 * compared key by key, arrays index by index, anything else by canonical JSON.
 */
export function jsonDifferences(a: unknown, b: unknown, path = '$'): JsonDifference[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = isObject(a) && isObject(b);
  if (bothArrays) {
    const out: JsonDifference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length) out.push({ path: childPath(path, i), b: b[i] });
      else if (i >= b.length) out.push({ path: childPath(path, i), a: a[i] });
      else out.push(...jsonDifferences(a[i], b[i], childPath(path, i)));
    }
    return out;
  }
  if (bothObjects) {
    const out: JsonDifference[] = [];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      if (!(key in b)) out.push({ path: childPath(path, key), a: a[key] });
      else if (!(key in a)) out.push({ path: childPath(path, key), b: b[key] });
      else out.push(...jsonDifferences(a[key], b[key], childPath(path, key)));
    }
    return out;
  }
  return [{ path, a, b }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
