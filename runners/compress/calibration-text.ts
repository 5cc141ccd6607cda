/**
 * Where calibration text comes from (issue 22): a text file, the texts of a suite's
 * instances, or the bundled synthetic corpus. A model that is not bundled but is
 * calibrated on the bundled corpus reads text of another domain, and says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InputError, messageOf } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { buildCorpus, corpusText, DEFAULT_CORPUS_OPTIONS } from '../../datasets/index.js';
import { buildRequests, loadSuite } from '../../suites/index.js';

/** The three sources of calibration text. */
export type CalibrationKind = 'bundled' | 'textFile' | 'suite';

/** What a calibration source names: a file, a suite folder, or neither (the bundled corpus). */
export interface CalibrationSource {
  readonly textFile?: string;
  /** A suite folder (or its suite.json): the texts its instances send to the model. */
  readonly suite?: string;
}

/** The warning recorded for a model of its own calibrated on the bundled corpus. */
export const OFF_DOMAIN_WARNING = "calibrated on the bundled synthetic corpus, not text of this model's domain";

/** The bundled built corpus file (absent until `npm run setup` built it). */
export const BUNDLED_CORPUS_FILE = packagePath('datasets', 'corpus', 'build', 'corpus.txt');

/** Which source a spec names. */
export function calibrationKind(spec: CalibrationSource): CalibrationKind {
  return spec.suite !== undefined ? 'suite' : spec.textFile !== undefined ? 'textFile' : 'bundled';
}

/** True for a model folder shipped with compbench (datasets/models/…), whose domain the bundled corpus is. */
export function isBundledModel(dir: string): boolean {
  const rel = relative(packagePath('datasets', 'models'), resolve(dir));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}

/** The warning a model gets for this source, or undefined when its calibration text is of its own domain. */
export function calibrationWarning(modelDir: string, spec: CalibrationSource): string | undefined {
  return calibrationKind(spec) === 'bundled' && !isBundledModel(modelDir) ? OFF_DOMAIN_WARNING : undefined;
}

/** The text and a label of where it came from; InputError when a file or suite cannot be read. */
export function readCalibrationText(spec: CalibrationSource): { text: string; source: string; kind: CalibrationKind } {
  const kind = calibrationKind(spec);
  if (kind === 'suite') {
    const { id, text } = suiteCalibrationText(spec.suite!);
    return { text, source: `suite:${id}`, kind };
  }
  if (kind === 'textFile') {
    try {
      return { text: readFileSync(spec.textFile!, 'utf8'), source: spec.textFile!, kind };
    } catch (e) {
      throw new InputError(`cannot read calibration text ${spec.textFile}: ${messageOf(e)}`);
    }
  }
  if (existsSync(BUNDLED_CORPUS_FILE)) return { text: readFileSync(BUNDLED_CORPUS_FILE, 'utf8'), source: 'bundled-corpus:datasets/corpus/build/corpus.txt', kind };
  return { text: corpusText(buildCorpus(DEFAULT_CORPUS_OPTIONS)), source: `bundled-corpus:buildCorpus(seed ${DEFAULT_CORPUS_OPTIONS.seed})`, kind };
}

/**
 * The texts a suite's instances send to the model, one paragraph each: a rolling text, a
 * generate prompt, or a multiple-choice context (options left out, so no answer is favoured).
 */
export function suiteCalibrationText(dir: string): { id: string; text: string } {
  let suite;
  try {
    suite = loadSuite(dir);
  } catch (e) {
    throw new InputError(`calibration suite ${dir}: ${messageOf(e)}`);
  }
  const texts = new Set<string>();
  for (const item of buildRequests(suite)) {
    const r = item.requests[0];
    if (!r) continue;
    const text = r.type === 'rolling' ? r.request.text : r.type === 'generate' ? r.request.prompt : r.request.context;
    if (text.trim() !== '') texts.add(text.trim().replace(/\n\s*\n/gu, '\n'));
  }
  return { id: suite.spec.id, text: [...texts].join('\n\n') };
}
