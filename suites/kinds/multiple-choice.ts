import type { ChoiceOutcome } from '../metrics/types.js';
import { answerAliases, choiceList, goldIndex } from './answers.js';
import { DEFAULT_TARGET_DELIMITER, expectResponses, fieldPath, promptWithShots, type FieldProblem, type KindDef } from './common.js';

/**
 * Multiple choice through `loglikelihood`: one request per choice, context = the prompt
 * (with few-shot examples), continuation = delimiter + choice.
 */
export const multipleChoiceKind: KindDef = {
  description: 'multiple choice, scored by the log-likelihood of each choice',
  usesTemplate: true,
  fewShot: true,
  checkInstance(spec, fields) {
    const problems: FieldProblem[] = [];
    const choicesField = spec.choicesField ?? '';
    const answerField = spec.answerField ?? '';
    const choices = choiceList(fields[choicesField]);
    if (!choices) {
      problems.push({
        path: fieldPath(choicesField),
        message: 'choices must be a list of at least 2 strings',
        fix: `write "${choicesField}": ["first choice", "second choice", …]`,
      });
    } else if (goldIndex(fields[answerField], choices) === undefined) {
      problems.push({
        path: fieldPath(answerField),
        message: `answer ${JSON.stringify(fields[answerField])} is neither a choice index 0..${choices.length - 1} nor the text of exactly one choice`,
        fix: `set "${answerField}" to the index of the right choice`,
      });
    }
    return problems;
  },
  buildRequests(ctx) {
    const { spec, instance } = ctx;
    const choices = choiceList(instance.fields[spec.choicesField ?? ''])!;
    const delimiter = spec.targetDelimiter ?? DEFAULT_TARGET_DELIMITER;
    const context = promptWithShots(ctx, (fields) => {
      const shotChoices = choiceList(fields[spec.choicesField ?? '']);
      const gold = shotChoices ? goldIndex(fields[spec.answerField ?? ''], shotChoices) : undefined;
      return shotChoices && gold !== undefined ? shotChoices[gold] : (answerAliases(fields[spec.answerField ?? '']) ?? [''])[0];
    });
    return choices.map((choice) => ({ type: 'loglikelihood', request: { context, continuation: delimiter + choice } }));
  },
  readOutcome(spec, instance, responses): ChoiceOutcome | string {
    const choices = choiceList(instance.fields[spec.choicesField ?? ''])!;
    const got = expectResponses(responses, 'loglikelihood', choices.length);
    if (typeof got === 'string') return got;
    return {
      kind: 'multiple_choice',
      logprobs: got.map((r) => r.response.logprob),
      isGreedy: got.map((r) => r.response.isGreedy),
      choices,
      gold: goldIndex(instance.fields[spec.answerField ?? ''], choices)!,
    };
  },
};
