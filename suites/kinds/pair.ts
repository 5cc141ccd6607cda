import type { PairOutcome } from '../metrics/types.js';
import { expectResponses, fieldPath, type FieldProblem, type KindDef } from './common.js';

/**
 * Counterfactual sentence pairs (CrowS-Pairs style) through two `rolling` requests:
 * the total log-probability of each sentence is −(sum of its token NLLs).
 */
export const pairKind: KindDef = {
  description: 'counterfactual sentence pairs, scored by total log-probability of each sentence',
  usesTemplate: false,
  fewShot: false,
  checkInstance(spec, fields) {
    const problems: FieldProblem[] = [];
    for (const field of [spec.pairFields?.more, spec.pairFields?.less]) {
      if (field === undefined) continue;
      const v = fields[field];
      if (typeof v !== 'string' || v.trim() === '') {
        problems.push({ path: fieldPath(field), message: 'expected a non-empty sentence', fix: `write "${field}": "…the sentence…"` });
      }
    }
    return problems;
  },
  buildRequests({ spec, instance }) {
    const more = instance.fields[spec.pairFields!.more] as string;
    const less = instance.fields[spec.pairFields!.less] as string;
    return [
      { type: 'rolling', request: { text: more } },
      { type: 'rolling', request: { text: less } },
    ];
  },
  readOutcome(_spec, _instance, responses): PairOutcome | string {
    const got = expectResponses(responses, 'rolling', 2);
    if (typeof got === 'string') return got;
    return { kind: 'pair', logprobMore: -got[0].response.nllSum, logprobLess: -got[1].response.nllSum };
  },
};
