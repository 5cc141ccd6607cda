import type { EnergyRecord } from '../../core/run-record.js';
import { NvmlPowerSampler } from './nvml.js';
import { findRaplDomains, POWERCAP_ROOT, raplDeltaUj, readRaplUj, type RaplDomain } from './rapl.js';

/** How the energy of a span is obtained, in order of preference (DESIGN.md §8). */
export interface EnergyOptions {
  /** `cuda` samples GPU power with nvidia-smi; `cpu` reads RAPL when readable. */
  readonly executionProvider: 'cpu' | 'cuda';
  /** Assumed watts of one busy logical core, for the estimate. */
  readonly tdpWattsPerCore: number;
  /** Root of the powercap tree (a fixture in tests). */
  readonly powercapRoot?: string;
}

/** An energy span that has begun; `finish` closes it and builds the record. */
export interface EnergySpan {
  /** Energy since the span began, spread over `tokens` generated tokens. */
  finish(tokens: number): Promise<EnergyRecord>;
}

/**
 * The estimate when no counter is readable: E = cpuSeconds × tdpWattsPerCore. This is
 * CodeCarbon's process mode (P = TDP × process CPU load, with load = CPU time of the
 * process / (wall time × logical cores)) integrated over the span, with TDP per core given.
 */
export function estimatedJoules(cpuSeconds: number, tdpWattsPerCore: number): number {
  return cpuSeconds * tdpWattsPerCore;
}

/** The human-readable formula stored with an estimated figure. */
export function estimateFormula(tdpWattsPerCore: number): string {
  return `E = cpu_seconds × TDP_per_core (${tdpWattsPerCore} W); cpu_seconds = user+system CPU time of the measuring process; CodeCarbon process mode (P = TDP × process CPU load)`;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function record(provenance: EnergyRecord['provenance'], joules: number, tokens: number, cpuSeconds: number, formula: string, tdp?: number): EnergyRecord {
  return { provenance, joules, joulesPerToken: joules / tokens, ...(tdp === undefined ? {} : { tdpWattsPerCore: tdp }), cpuSeconds, formula };
}

/**
 * Begins an energy span. CPU time is always taken (it is the estimate's input and a useful
 * figure next to a counter). A counter that fails at the end falls back to the estimate, and
 * the record then says `estimated`.
 */
export function startEnergySpan(options: EnergyOptions): EnergySpan {
  const tdp = options.tdpWattsPerCore;
  const estimate = (tokens: number, cpuSeconds: number, why = ''): EnergyRecord =>
    record('estimated', estimatedJoules(cpuSeconds, tdp), tokens, cpuSeconds, estimateFormula(tdp) + why, tdp);

  if (options.executionProvider === 'cuda') {
    // NVML branch: untested on the development machine (no GPU there).
    const sampler = new NvmlPowerSampler();
    const cpu0 = process.cpuUsage();
    return {
      async finish(tokens) {
        const cpuSeconds = cpuSecondsSince(cpu0);
        const r = await sampler.stop();
        if ('error' in r) return estimate(tokens, cpuSeconds, `; NVML unavailable: ${r.error}`);
        return record('nvml', r.joules, tokens, cpuSeconds, 'E = mean nvidia-smi power.draw of GPU 0 × span seconds (GPU board only, CPU not counted)');
      },
    };
  }

  const domains: RaplDomain[] = findRaplDomains(options.powercapRoot ?? POWERCAP_ROOT);
  const before = domains.length > 0 ? readRaplUj(domains) : undefined;
  const cpu0 = process.cpuUsage();
  return {
    async finish(tokens) {
      const cpuSeconds = cpuSecondsSince(cpu0);
      const after = before ? readRaplUj(domains) : undefined;
      if (!before || !after) return estimate(tokens, cpuSeconds, before ? '; RAPL became unreadable' : '');
      let uj = 0;
      domains.forEach((d, i) => (uj += raplDeltaUj(before[i], after[i], d.maxRangeUj)));
      const formula = `E = Δ energy_uj of ${domains.length} RAPL domain(s) (${domains.map((d) => d.energyPath).join(', ')}) over the span; the whole package, other processes included`;
      return record('rapl', uj / 1e6, tokens, cpuSeconds, formula);
    },
  };
}
