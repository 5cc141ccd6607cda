/**
 * FairPrune over a model (kernels/fairprune.ts): two calibration sets cut from a suite's
 * instance texts split by one slice tag — the protected slice's and all other slices' —
 * each captured through the model, then every target pruned by S^protected − β·S^others.
 * The texts are what the instances send to the model (prompts, contexts; never the answers
 * or options), as suite calibration does (calibration-text.ts).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { pruneFairPrune, type ParamValue } from '../../kernels/index.js';
import { buildRequests, loadSuite } from '../../suites/index.js';
import type { DecoderConfig } from '../model/model-config.js';
import type { TextTokenizer } from '../model/text-tokenizer.js';
import type { LayerStats, WeightOutcome } from './apply-method.js';
import { buildCalibrationSet, type CalibrationProvenance, type CalibrationSpec } from './calibration-set.js';
import { captureActivations } from './capture.js';
import type { SurgeryModel, TargetMatMul } from './model-graph.js';

/** The two slices' texts of a suite. */
export interface SliceTexts {
  readonly suiteId: string;
  readonly protectedText: string;
  readonly othersText: string;
  /** The other slice values met, sorted. */
  readonly others: string[];
}

/** What FairPrune used and did, for compression.json. */
export interface FairPruneRecord {
  readonly suite: string;
  readonly sliceTag: string;
  readonly protect: string;
  readonly others: readonly string[];
  readonly beta: number;
  readonly calibration: { readonly protected: CalibrationProvenance; readonly others: CalibrationProvenance };
  /** Per weight: output error on each calibration set. */
  readonly layers: readonly { readonly weight: string; readonly protectedOutputError: number; readonly othersOutputError: number }[];
}

/** Splits a suite's instance texts by `tag`: the `protect` slice vs the rest (instances without the tag are left out). */
export function sliceTexts(suiteRef: string, tag: string, protect: string): SliceTexts {
  const dir = existsSync(suiteRef) ? suiteRef : packagePath('suites', suiteRef);
  let suite;
  try {
    suite = loadSuite(dir);
  } catch (e) {
    throw new InputError(`fairprune: suite '${suiteRef}': ${messageOf(e)}; give a bundled suite id or a suite folder`);
  }
  const mine = new Set<string>();
  const rest = new Set<string>();
  const values = new Set<string>();
  buildRequests(suite).forEach((item, i) => {
    const value = suite.instances[i].tags?.[tag];
    const r = item.requests[0];
    if (value === undefined || !r) return;
    values.add(value);
    const text = (r.type === 'rolling' ? r.request.text : r.type === 'generate' ? r.request.prompt : r.request.context).trim().replace(/\n\s*\n/gu, '\n');
    if (text !== '') (value === protect ? mine : rest).add(text);
  });
  const others = [...values].filter((v) => v !== protect).sort();
  if (mine.size === 0 || rest.size === 0) {
    const seen = values.size === 0 ? `no instance has the tag '${tag}'` : `its ${tag} values are ${[...values].sort().join(', ')}`;
    throw new InputError(`fairprune: suite ${suite.spec.id} needs texts tagged ${tag}=${protect} and texts of another ${tag}; ${seen} (set sliceTag / protect)`);
  }
  return { suiteId: suite.spec.id, protectedText: [...mine].join('\n\n'), othersText: [...rest].join('\n\n'), others };
}

/** Captures both sets and prunes every target; returns dense outcomes for surgery.ts. */
export async function fairPrune(
  m: SurgeryModel, config: DecoderConfig, tokenizer: TextTokenizer, targets: readonly TargetMatMul[], weights: ReadonlyMap<string, Float32Array>,
  params: Readonly<Record<string, ParamValue>>, sampling: CalibrationSpec, threads: number,
): Promise<{ outcomes: WeightOutcome[]; layers: LayerStats[]; record: FairPruneRecord }> {
  const { sliceTag, protect, suite } = params as { sliceTag: string; protect: string; suite: string };
  const texts = sliceTexts(suite, sliceTag, protect);
  const names = [...new Set(targets.map((t) => t.input))];
  const capture = async (text: string, slice: string): Promise<{ acts: Awaited<ReturnType<typeof captureActivations>>; provenance: CalibrationProvenance }> => {
    // buildCalibrationSet reads a file; the text goes through one that is removed at once.
    const dir = mkdtempSync(join(tmpdir(), 'compbench-fairprune-'));
    try {
      writeFileSync(join(dir, 'calibration.txt'), text);
      const set = buildCalibrationSet({ nSequences: sampling.nSequences, seqLen: sampling.seqLen, seed: sampling.seed, mode: sampling.mode, textFile: join(dir, 'calibration.txt') }, tokenizer);
      const acts = await captureActivations(m, config, names, set.sequences, threads);
      return { acts, provenance: { ...set.provenance, source: `suite:${texts.suiteId}[${slice}]`, kind: 'suite' } };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const p = await capture(texts.protectedText, `${sliceTag}=${protect}`);
  const o = await capture(texts.othersText, `${sliceTag}≠${protect}`);
  const outcomes: WeightOutcome[] = [];
  const layers: LayerStats[] = [];
  const perLayer: FairPruneRecord['layers'][number][] = [];
  for (const t of targets) {
    const r = pruneFairPrune(weights.get(t.weight)!, t.K, t.N, p.acts.get(t.input)!.data, o.acts.get(t.input)!.data, { sparsity: params.sparsity as number, beta: params.beta as number });
    outcomes.push({ kind: 'dense', target: t, weight: r.pruned });
    layers.push({ weight: t.weight, K: t.K, N: t.N, ...r.stats, sparsity: r.sparsity });
    perLayer.push({ weight: t.weight, protectedOutputError: r.protectedOutputError, othersOutputError: r.othersOutputError });
  }
  return {
    outcomes, layers,
    record: { suite: texts.suiteId, sliceTag, protect, others: texts.others, beta: params.beta as number, calibration: { protected: p.provenance, others: o.provenance }, layers: perLayer },
  };
}
