import type { GenerationOutcome } from '../metrics/types.js';
import { answerAliases } from './answers.js';
import { expectResponses, fieldPath, promptWithShots, type FieldProblem, type KindDef } from './common.js';

/** Token limit of a generate suite whose suite.json gives no `generation`. */
const DEFAULT_GENERATION: { readonly maxNewTokens: number; readonly stop?: readonly string[] } = { maxNewTokens: 32 };

/** Free-form answers through greedy `generate`, scored against the answer's aliases. */
export const generateKind: KindDef = {
  description: 'greedy generation, scored against answer aliases',
  usesTemplate: true,
  fewShot: true,
  checkInstance(spec, fields) {
    const problems: FieldProblem[] = [];
    const answerField = spec.answerField ?? '';
    if (!answerAliases(fields[answerField])) {
      problems.push({
        path: fieldPath(answerField),
        message: `answer ${JSON.stringify(fields[answerField]) ?? 'is missing'}: expected a string, a number or a non-empty list of them`,
        fix: `write "${answerField}": "Paris" or ["Paris", "Paris, France"]`,
      });
    }
    return problems;
  },
  buildRequests(ctx) {
    const { spec } = ctx;
    const prompt = promptWithShots(ctx, (fields) => (answerAliases(fields[spec.answerField ?? '']) ?? [''])[0]);
    const generation = spec.generation ?? DEFAULT_GENERATION;
    const options = { maxNewTokens: generation.maxNewTokens, ...(generation.stop ? { stop: generation.stop } : {}) };
    return [{ type: 'generate', request: { prompt, options } }];
  },
  readOutcome(spec, instance, responses): GenerationOutcome | string {
    const got = expectResponses(responses, 'generate', 1);
    if (typeof got === 'string') return got;
    return {
      kind: 'generate',
      text: got[0].response.text,
      finishReason: got[0].response.finishReason,
      generatedTokens: got[0].response.generatedIds.length,
      maxNewTokens: (spec.generation ?? DEFAULT_GENERATION).maxNewTokens,
      answers: answerAliases(instance.fields[spec.answerField ?? ''])!,
    };
  },
};
