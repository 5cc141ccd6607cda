import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Linux exposes RAPL energy counters. */
export const POWERCAP_ROOT = '/sys/class/powercap';

/** One readable RAPL counter: a CPU package (socket) domain. */
export interface RaplDomain {
  /** Path of its `energy_uj` file. */
  readonly energyPath: string;
  /** The value past which the counter wraps to 0 (`max_energy_range_uj`). */
  readonly maxRangeUj: number;
}

function readNumber(path: string): number | undefined {
  try {
    const v = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined; // since CVE-2020-8694 energy_uj is often root-only
  }
}

/**
 * The readable RAPL counters under `root`. Package domains (`intel-rapl:N`) are preferred,
 * because their sub-domains (`intel-rapl:N:M`, cores/uncore/dram) are already inside them
 * and summing both would count twice; when none is readable, any `*\/energy_uj` is taken.
 */
export function findRaplDomains(root: string = POWERCAP_ROOT): RaplDomain[] {
  if (!existsSync(root)) return [];
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return [];
  }
  const readable = (name: string): RaplDomain | undefined => {
    const energyPath = join(root, name, 'energy_uj');
    if (readNumber(energyPath) === undefined) return undefined;
    const maxRangeUj = readNumber(join(root, name, 'max_energy_range_uj'));
    return { energyPath, maxRangeUj: maxRangeUj ?? Number.MAX_SAFE_INTEGER };
  };
  const packages = names.filter((n) => /^[a-z-]*rapl:\d+$/.test(n)).map(readable).filter((d): d is RaplDomain => d !== undefined);
  if (packages.length > 0) return packages;
  const any = names.map(readable).filter((d): d is RaplDomain => d !== undefined);
  return any.slice(0, 1); // unknown nesting: one counter, never a sum that may double count
}

/** Reads every domain's counter, in microjoules (undefined if one became unreadable). */
export function readRaplUj(domains: readonly RaplDomain[]): number[] | undefined {
  const out: number[] = [];
  for (const d of domains) {
    const v = readNumber(d.energyPath);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** Energy between two readings of one counter, in microjoules, across at most one wrap to 0. */
export function raplDeltaUj(beforeUj: number, afterUj: number, maxRangeUj: number): number {
  return afterUj >= beforeUj ? afterUj - beforeUj : maxRangeUj - beforeUj + afterUj;
}
