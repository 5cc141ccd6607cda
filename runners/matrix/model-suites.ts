/**
 * Which suites run on which model: a model entry's `suites` names a subset of the run's
 * `suites` (a TinyStories suite means nothing to the bundled teacher, its facts mean
 * nothing to stories260K); absent, the model runs every suite of the run. Every variant
 * of a model runs its model's suites.
 */
import { InputError } from '../../core/errors.js';
import { unknownNameMessage } from '../../core/schemas/index.js';

/** What a models[] entry needs here. */
interface WithSuites {
  readonly id: string;
  readonly suites?: readonly string[];
}

/**
 * The run's suite folders each model entry runs (absolute, in the run's order), checked:
 * an entry must resolve (`resolve`: a bundled id or a folder relative to the config) to one
 * of the run's suites, else one InputError naming its JSON path. With `fromDefaults` (the
 * models came from the bundled default config, the suites from the user's), entries the
 * run lacks are dropped instead, and a model left with none is dropped with them.
 */
export function resolveModelSuites<M extends WithSuites>(
  models: readonly M[],
  run: { readonly refs: readonly string[]; readonly dirs: readonly string[] },
  resolve: (ref: string, where: string) => string,
  where: (i: number, j: number) => string,
  fromDefaults: boolean,
): M[] {
  const out: M[] = [];
  models.forEach((m, i) => {
    if (m.suites === undefined) {
      out.push(m);
      return;
    }
    const dirs: string[] = [];
    m.suites.forEach((ref, j) => {
      const at = where(i, j);
      const dir = fromDefaults && !run.refs.includes(ref) ? undefined : resolve(ref, at);
      if (dir !== undefined && run.dirs.includes(dir)) {
        if (!dirs.includes(dir)) dirs.push(dir);
      } else if (!fromDefaults) {
        throw new InputError(`${at}: ${unknownNameMessage('suite', ref, run.refs)} — a model's "suites" names suites of the run's "suites" list; add it there or remove it here`);
      }
    });
    if (dirs.length > 0) out.push({ ...m, suites: run.dirs.filter((d) => dirs.includes(d)) });
  });
  return out;
}

/** The suite folders `modelId` runs: its entry's `suites`, or every suite of the run. */
export function suitesOfModel(config: { readonly models: readonly WithSuites[]; readonly suites: readonly string[] }, modelId: string): readonly string[] {
  return config.models.find((m) => m.id === modelId)?.suites ?? config.suites;
}

/**
 * The loaded suites each model runs (`loaded[k]` is the suite of `config.suites[k]`), and
 * their ids when they are fewer than the run's (the variant record's `suites`).
 */
export function modelSuitePicker<S extends { readonly spec: { readonly id: string } }>(
  config: { readonly models: readonly WithSuites[]; readonly suites: readonly string[] },
  loaded: readonly S[],
): { suites: (modelId: string) => readonly S[]; recorded: (modelId: string) => string[] | undefined } {
  const suites = (modelId: string): readonly S[] => {
    const dirs = suitesOfModel(config, modelId);
    return loaded.filter((_, k) => dirs.includes(config.suites[k]));
  };
  const recorded = (modelId: string): string[] | undefined => {
    const own = suites(modelId);
    return own.length < loaded.length ? own.map((s) => s.spec.id) : undefined;
  };
  return { suites, recorded };
}
