/**
 * `suites validate PATH --model DIR`: every instance's requests tokenized with the
 * model's tokenizer and checked against its context window, so an over-long item is
 * found before a run (where it would be that instance's error, not the cell's).
 */
import { statSync } from 'node:fs';
import { messageOf } from '../../core/errors.js';
import { buildRequests, findSuiteDirs, validateSuite } from '../../suites/index.js';
import { loadModelFolder } from '../model/model-folder.js';
import { tokenizePairs, tokenizePrompts } from '../model/request-tokens.js';

/** Problems (one line each, naming suite file and instance id) of the suites at `path` on the model in `modelDir`. */
export function lengthProblems(path: string, modelDir: string): string[] {
  const folder = loadModelFolder(modelDir);
  const maxLength = folder.config.maxPositions;
  const problems: string[] = [];
  const targets = statSync(path).isDirectory() ? findSuiteDirs(path) : [path];
  for (const target of targets) {
    const v = validateSuite(target);
    if (!v.suite) continue;
    const suite = v.suite;
    for (const item of buildRequests(suite)) {
      for (const req of item.requests) {
        try {
          if (req.type === 'generate') tokenizePrompts(folder.tokenizer, [req.request], maxLength);
          else if (req.type === 'loglikelihood') tokenizePairs(folder.tokenizer, [req.request], maxLength);
        } catch (e) {
          problems.push(`${suite.file}: instance '${item.instanceId}': ${messageOf(e).replace(/^(generate|loglikelihood) request \d+: /u, '')} (model ${folder.dir})`);
          break;
        }
      }
    }
  }
  return problems;
}
