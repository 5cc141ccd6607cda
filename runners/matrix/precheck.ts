/**
 * Checking the whole matrix before any of it runs (issue 22): every compress spec against
 * every model's graph (targets, params with their K, the execution form, the accuracy
 * level), the calibration text, every suite, and whatever the caller adds (the CLI adds
 * the gate policy). All problems come back together, so one message lists them and
 * nothing is started.
 */
import { existsSync } from 'node:fs';
import { messageOf } from '../../core/errors.js';
import { loadSuite, type LoadedSuite } from '../../suites/index.js';
import { calibrationNeeded, validateParams, type ParamValue } from '../../kernels/index.js';
import { findTargets, openSurgeryModel, requireTargets, type TargetMatMul } from '../compress/model-graph.js';
import { checkAccuracyLevel, DEFAULT_ACCURACY_LEVEL, packedUnavailable, resolveForm } from '../compress/spec.js';
import { calibrationFor, type ResolvedRunConfig } from './config.js';
import type { VariantPlan } from './plan.js';

/** Problems of the compress specs on their models, each naming the variant. */
export function compressProblems(plans: readonly VariantPlan[], config: ResolvedRunConfig): string[] {
  const problems: string[] = [];
  const graphs = new Map<string, { targets: TargetMatMul[] } | { error: string }>();
  const graphOf = (dir: string, includeHead: boolean): { targets: TargetMatMul[] } | { error: string } => {
    const key = `${dir}\0${includeHead}`;
    let g = graphs.get(key);
    if (!g) {
      try {
        const m = openSurgeryModel(dir);
        const targets = findTargets(m.model, { includeHead });
        requireTargets(targets, m);
        g = { targets };
      } catch (e) {
        g = { error: messageOf(e) };
      }
      graphs.set(key, g);
    }
    return g;
  };
  const missingText = new Map<string, string>();
  for (const plan of plans) {
    const spec = plan.compress;
    if (!spec) continue;
    const g = graphOf(plan.baseDir, spec.includeHead ?? false);
    if ('error' in g) {
      problems.push(`variant ${plan.id}: model ${plan.baseDir}: ${g.error}`);
      continue;
    }
    try {
      const params = validateParams(spec.method, spec.params ?? {}) as Record<string, ParamValue>;
      resolveForm(spec, packedUnavailable(spec.method, params, g.targets));
      checkAccuracyLevel(spec.accuracyLevel ?? DEFAULT_ACCURACY_LEVEL);
      const text = calibrationFor(config, plan.model).textFile;
      if (calibrationNeeded(spec.method, params) && text !== undefined && !existsSync(text)) {
        const own = config.models.find((m) => m.id === plan.model)?.calibration?.textFile !== undefined;
        missingText.set(text, own ? `$.models[${config.models.findIndex((m) => m.id === plan.model)}].calibration.textFile` : '$.calibration.textFile');
      }
    } catch (e) {
      problems.push(`variant ${plan.id}: ${messageOf(e)}`);
    }
  }
  for (const [text, where] of missingText) {
    problems.push(`${where}: ${text} not found (a variant needs calibration text); fix the path or remove it to use the bundled corpus`);
  }
  return problems;
}

/** Loads every suite, collecting the problems instead of stopping at the first. */
export function loadSuites(config: ResolvedRunConfig, limit: (s: LoadedSuite) => LoadedSuite): { suites: LoadedSuite[]; problems: string[] } {
  const suites: LoadedSuite[] = [];
  const problems: string[] = [];
  for (const dir of config.suites) {
    try {
      suites.push(limit(loadSuite(dir)));
    } catch (e) {
      problems.push(`suite ${dir}: ${messageOf(e)}`);
    }
  }
  const ids = suites.map((s) => s.spec.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) problems.push(`$.suites: two suites have the id '${dup}' — list each suite once`);
  return { suites, problems };
}
