import { InputError } from '../../core/errors.js';

/** Knobs of one measurement (DESIGN.md §8). Every field has a documented default. */
export interface MeasureSettings {
  /** Tokens in the fixed prompt timed for prefill (time to first token). Default 64. */
  readonly promptTokens?: number;
  /** Timed prefill passes over the same prompt. Default 5. */
  readonly prefillRepeats?: number;
  /** Untimed decode steps before the timed ones (caches, allocator, branch predictors). Default 8. */
  readonly warmupTokens?: number;
  /** Timed decode steps, one token each, with the KV cache. Default 64. */
  readonly decodeTokens?: number;
  /** ORT intra-op threads of the child's session (llama.cpp: the context's threads for a GGUF). Default 1. */
  readonly intraOpNumThreads?: number;
  /**
   * Assumed power of one fully busy logical core, in watts, for the `estimated` energy
   * figure (E = cpu seconds × this). Default 10 W: a desktop/server CPU of 65–150 W TDP
   * over 8–16 logical cores; CodeCarbon falls back to a whole-CPU TDP the same way.
   */
  readonly tdpWattsPerCore?: number;
  /** Wall-clock limit of the child process; it is killed past it. Default 120000. */
  readonly timeoutMs?: number;
  /**
   * Execution provider the variant runs on. Only `cpu` is wired in DecoderSession; `cuda`
   * selects NVML energy but the child reports an error until the session supports it.
   */
  readonly executionProvider?: 'cpu' | 'cuda';
}

/** {@link MeasureSettings} with every default filled in. */
export type ResolvedMeasureSettings = { readonly [K in keyof MeasureSettings]-?: NonNullable<MeasureSettings[K]> };

/** The defaults of {@link MeasureSettings}. */
export const DEFAULT_MEASURE_SETTINGS: ResolvedMeasureSettings = {
  promptTokens: 64,
  prefillRepeats: 5,
  warmupTokens: 8,
  decodeTokens: 64,
  intraOpNumThreads: 1,
  tdpWattsPerCore: 10,
  timeoutMs: 120_000,
  executionProvider: 'cpu',
};

function positiveInteger(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new InputError(`settings.${name} must be an integer ≥ ${min} (got ${value})`);
}

/** Fills defaults and checks every option up front; a bad option is an InputError naming it. */
export function resolveMeasureSettings(settings: MeasureSettings = {}): ResolvedMeasureSettings {
  const s: ResolvedMeasureSettings = { ...DEFAULT_MEASURE_SETTINGS, ...stripUndefined(settings) };
  positiveInteger(s.promptTokens, 'promptTokens', 1);
  positiveInteger(s.prefillRepeats, 'prefillRepeats', 1);
  positiveInteger(s.warmupTokens, 'warmupTokens', 0);
  positiveInteger(s.decodeTokens, 'decodeTokens', 1);
  positiveInteger(s.intraOpNumThreads, 'intraOpNumThreads', 1);
  positiveInteger(s.timeoutMs, 'timeoutMs', 1);
  if (!(Number.isFinite(s.tdpWattsPerCore) && s.tdpWattsPerCore > 0)) {
    throw new InputError(`settings.tdpWattsPerCore must be a positive number of watts (got ${s.tdpWattsPerCore})`);
  }
  if (s.executionProvider !== 'cpu' && s.executionProvider !== 'cuda') {
    throw new InputError(`settings.executionProvider must be 'cpu' or 'cuda' (got ${String(s.executionProvider)})`);
  }
  return s;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
