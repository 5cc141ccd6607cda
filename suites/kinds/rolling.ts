import { findLastWord, findWord } from '../../core/text.js';
import type { RollingOutcome } from '../metrics/types.js';
import type { SuiteRequest, SuiteSpec } from '../spec.js';
import { renderTemplate, templateFields } from '../template.js';
import { answerAliases } from './answers.js';
import { expectResponses, fieldPath, type FieldProblem, type KindDef } from './common.js';

export { findWord };

/** Where a target is scored: its first whole-word occurrence, or its last with `targetOccurrence: "last"` (a cloze word at the end of a story that names it earlier). */
function locate(spec: SuiteSpec): (text: string, word: string) => number {
  return spec.targetOccurrence === 'last' ? findLastWord : findWord;
}

function targetsOf(fields: Readonly<Record<string, unknown>>, field: string | undefined): string[] {
  return field === undefined ? [] : (answerAliases(fields[field]) ?? []);
}

/**
 * Perplexity and bits per byte through one `rolling` request on the rendered text; each
 * target word adds a `loglikelihood` request: context = the text before the word's
 * first (or, with `targetOccurrence: "last"`, last) occurrence (trailing whitespace moved
 * into the continuation), continuation = that whitespace + the word.
 */
export const rollingKind: KindDef = {
  description: 'token-level NLL of a text (perplexity, bits per byte) and of target words in it',
  defaultTemplate: '{text}',
  usesTemplate: true,
  fewShot: false,
  checkInstance(spec, fields, template) {
    const problems: FieldProblem[] = [];
    const field = spec.targetsField;
    if (field === undefined) return problems;
    const targets = answerAliases(fields[field]);
    if (!targets || targets.some((t) => t.trim() === '')) {
      problems.push({
        path: fieldPath(field),
        message: `target words ${JSON.stringify(fields[field]) ?? 'are missing'}: expected a non-empty word or list of words`,
        fix: `write "${field}": "aardvark" or ["aardvark", "quokka"]`,
      });
      return problems;
    }
    // A missing template field is reported on its own; without it there is no text to search.
    if (templateFields(template).some((f) => fields[f] === undefined)) return problems;
    const text = renderTemplate(template, fields);
    for (const word of targets) {
      if (locate(spec)(text, word) < 0) {
        problems.push({
          path: fieldPath(field),
          message: `target word '${word}' does not occur as a whole word in the text`,
          fix: 'list only words that appear in the rendered text, spelt the same way',
        });
      }
    }
    return problems;
  },
  buildRequests(ctx) {
    const text = renderTemplate(ctx.template, ctx.instance.fields);
    const requests: SuiteRequest[] = [{ type: 'rolling', request: { text } }];
    for (const word of targetsOf(ctx.instance.fields, ctx.spec.targetsField)) {
      const at = locate(ctx.spec)(text, word);
      // load.ts reports targets that do not occur; skip defensively if one slips through.
      if (at < 0) continue;
      const before = text.slice(0, at);
      const context = before.trimEnd();
      requests.push({ type: 'loglikelihood', request: { context, continuation: before.slice(context.length) + word } });
    }
    return requests;
  },
  readOutcome(spec, instance, responses): RollingOutcome | string {
    const failed = responses.find((r) => r.type === 'error');
    if (failed && failed.type === 'error') return `request failed: ${failed.error}`;
    const [first, ...rest] = responses;
    if (first?.type !== 'rolling') return 'expected a rolling response first';
    const words = expectResponses(rest, 'loglikelihood', rest.length);
    if (typeof words === 'string') return words;
    const targets = targetsOf(instance.fields, spec.targetsField);
    if (words.length !== targets.length) return `expected ${targets.length} target-word responses, got ${words.length}`;
    return {
      kind: 'rolling',
      nllSum: first.response.nllSum,
      tokenCount: first.response.tokenCount,
      byteCount: first.response.byteCount,
      targets: words.map((w, i) => ({ word: targets[i], logprob: w.response.logprob, isGreedy: w.response.isGreedy })),
    };
  },
};
