/**
 * Real public facts read from installed npm data packages: `countries-list`
 * (countries, capitals, continents, languages, currencies) and `currency-codes`
 * (ISO 4217 currency names). Nothing is downloaded; the package versions are
 * recorded in the corpus manifest and the model cards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { continents, countries, languages } from 'countries-list';
import currencyCodes from 'currency-codes';
import { InfraError } from '../../core/errors.js';

/** The relations the corpus states and the knowledge suite asks about. */
export const RELATIONS = ['capital', 'continent', 'language', 'currency', 'currency_code'] as const;
/** One relation id. */
export type Relation = (typeof RELATIONS)[number];

/** A (subject, relation, object) triple with the answers a grader accepts. */
export interface RawFact {
  /** Stable id, e.g. `capital:FR`. */
  id: string;
  relation: Relation;
  subject: string;
  object: string;
  /** Accepted answers for normalized-substring matching (includes `object`). */
  aliases: string[];
}

/** A package the facts came from, with the version that was installed. */
export interface SourcePackage {
  name: string;
  version: string;
  license: string;
}

/** Strips diacritics ("Bogotá" -> "Bogota") so a grader can accept either spelling. */
export function asciiFold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function aliasesOf(...names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) for (const v of [n, asciiFold(n)]) if (v && !out.includes(v)) out.push(v);
  return out;
}

/** ISO 4217 names such as "Netherlands (The)" keep only the readable part. */
function cleanCurrencyName(name: string): string {
  return name.replace(/\s*\(.*\)\s*/g, ' ').trim();
}

/**
 * All facts, sorted by id. Countries without a capital, and currencies that are
 * funds or metals (not any country's currency in countries-list), are left out.
 */
export function loadFacts(): RawFact[] {
  const facts: RawFact[] = [];
  const usedCodes = new Set<string>();
  for (const [code, c] of Object.entries(countries)) {
    const name = c.name;
    if (c.capital) {
      facts.push({ id: `capital:${code}`, relation: 'capital', subject: name, object: c.capital, aliases: aliasesOf(c.capital) });
    }
    const continent = continents[c.continent as keyof typeof continents];
    if (continent && c.continent !== 'AN') {
      facts.push({ id: `continent:${code}`, relation: 'continent', subject: name, object: continent, aliases: aliasesOf(continent) });
    }
    const lang = c.languages[0] ? languages[c.languages[0] as keyof typeof languages] : undefined;
    if (lang) facts.push({ id: `language:${code}`, relation: 'language', subject: name, object: lang.name, aliases: aliasesOf(lang.name) });
    const cur = c.currency[0] ? currencyCodes.code(c.currency[0]) : undefined;
    if (cur) {
      const curName = cleanCurrencyName(cur.currency);
      facts.push({ id: `currency:${code}`, relation: 'currency', subject: name, object: curName, aliases: aliasesOf(curName, cur.code) });
      usedCodes.add(cur.code);
    }
  }
  for (const code of [...usedCodes].sort()) {
    const cur = currencyCodes.code(code);
    if (!cur) continue;
    const curName = cleanCurrencyName(cur.currency);
    facts.push({ id: `currency_code:${code}`, relation: 'currency_code', subject: code, object: curName, aliases: aliasesOf(curName) });
  }
  return facts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Name, version and licence of the installed data packages, read from their package.json. */
export function sourcePackages(): SourcePackage[] {
  const require = createRequire(import.meta.url);
  return ['countries-list', 'currency-codes'].map((name) => {
    // Walk up from the entry point: some packages do not export ./package.json.
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json')) || readPkg(dir).name !== name) {
      const up = dirname(dir);
      if (up === dir) throw new InfraError(`package.json of ${name} not found above ${require.resolve(name)}`);
      dir = up;
    }
    const pkg = readPkg(dir);
    return { name, version: pkg.version, license: pkg.license };
  });
}

function readPkg(dir: string): { name: string; version: string; license: string } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license: string };
}
