import { parseJsonl, readTextFile } from '../../core/jsonl.js';
import { InputError } from '../../core/errors.js';
import { extractNumber } from '../metrics/numeric.js';
import type { SuiteSpec } from '../spec.js';
import { writeSuite, type ConvertedSuite } from './write.js';

/** Settings of {@link convertGsm8k}. */
export interface Gsm8kOptions {
  /** Suite id (default "gsm8k"). */
  readonly id?: string;
  /** Keep only the first `limit` problems as instances (default: all). */
  readonly limit?: number;
  /** Few-shot: hold out the first `holdOut` problems as the example split and use k of them per prompt. */
  readonly fewShot?: { readonly k: number; readonly holdOut: number; readonly seed?: number };
  /** Token limit of the generated answer (default 256). */
  readonly maxNewTokens?: number;
}

/**
 * Converts GSM8K (Cobbe et al. 2021, JSONL lines `{"question", "answer"}` whose answer
 * ends in `#### <number>`) into a `generate` suite scored by `numeric`: the number
 * after `####` (or else the last number) in the model's text must equal the gold one.
 * The prompt is lm-evaluation-harness' `Question: …\nAnswer:`; few-shot examples show
 * the full worked answer. Instances are tagged `steps` (lines of worked solution,
 * capped at "8+") as a difficulty slice.
 *
 * Usage (after `npm run build`):
 * `node -e "import('./dist/suites/convert/gsm8k.js').then(m => m.writeGsm8kSuite('gsm8k_test.jsonl', 'my-suites/gsm8k', {limit: 200}))"`
 */
export function convertGsm8k(jsonlText: string, file: string, options: Gsm8kOptions = {}): ConvertedSuite {
  const { rows, problems } = parseJsonl(jsonlText, file);
  if (problems.length > 0) throw new InputError(problems[0]);
  const records: Record<string, unknown>[] = [];
  const skipped: { line: number; reason: string }[] = [];
  for (const { line, value } of rows) {
    const { question, answer } = (value ?? {}) as { question?: unknown; answer?: unknown };
    if (typeof question !== 'string' || typeof answer !== 'string') {
      skipped.push({ line, reason: 'question or answer is not a string' });
      continue;
    }
    const marker = answer.lastIndexOf('####');
    if (marker < 0 || extractNumber(answer.slice(marker)) === undefined) {
      skipped.push({ line, reason: "answer does not end in '#### <number>'" });
      continue;
    }
    const steps = answer.slice(0, marker).split('\n').filter((l) => l.trim() !== '').length;
    records.push({ id: `gsm8k-${line}`, question, answer: answer.trim(), tags: { steps: steps >= 8 ? '8+' : String(steps) } });
  }
  const holdOut = options.fewShot?.holdOut ?? 0;
  const fewShotPool = records.slice(0, holdOut);
  const rest = records.slice(holdOut);
  const instances = options.limit === undefined ? rest : rest.slice(0, options.limit);
  const spec: SuiteSpec = {
    id: options.id ?? 'gsm8k',
    version: '1.0.0',
    description: 'GSM8K grade-school maths (Cobbe et al. 2021, MIT): multi-step word problems, numeric answer extraction.',
    dataset: 'data.jsonl',
    kind: 'generate',
    role: 'reasoning',
    template: 'Question: {question}\nAnswer:',
    answerField: 'answer',
    generation: { maxNewTokens: options.maxNewTokens ?? 256, stop: ['Question:', '\n\n'] },
    ...(options.fewShot
      ? { fewShot: { k: options.fewShot.k, split: 'fewshot.jsonl', seed: options.fewShot.seed ?? 1234, separator: '\n\n' } }
      : {}),
    metrics: ['numeric'],
    slices: ['steps'],
  };
  return { spec, instances, ...(options.fewShot ? { fewShotPool } : {}), skipped };
}

/** Reads a GSM8K JSONL file, converts it and writes the suite to `outDir`; returns suite.json's path. */
export function writeGsm8kSuite(jsonlFile: string, outDir: string, options: Gsm8kOptions = {}): string {
  return writeSuite(outDir, convertGsm8k(readTextFile(jsonlFile), jsonlFile, options));
}
