import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { unknownNameMessage } from '../core/schemas/suggest.js';
import { DEFAULT_SUITE_ROLE, isSuiteRole, SUITE_ROLES, type SuiteRole } from '../core/suite-roles.js';
import { REQUEST_KIND_IDS } from './kinds/registry.js';
import { validateSuite } from './load.js';
import type { RequestKindId } from './spec.js';

/** What `compbench suites init` writes: a suite.json object and its instance rows. */
export interface StarterSuite {
  readonly spec: Record<string, unknown>;
  readonly rows: readonly Record<string, unknown>[];
}

/** Settings of {@link writeStarterSuite}. */
export interface InitOptions {
  readonly kind: string;
  /** Suite id (default: the folder's name, lower-cased). */
  readonly id?: string;
  readonly role?: string;
  /** Role knowledge-open: the closed-book twin's id. */
  readonly closedBookTwin?: string;
}

/** A starting suite of each kind: the smallest that shows its fields and validates. */
export function starterSuite(kind: RequestKindId, id: string): StarterSuite {
  const head = { id, version: '0.1.0', dataset: 'data.jsonl', kind };
  switch (kind) {
    case 'generate':
      return {
        spec: {
          ...head,
          description: 'Short factual questions, answered greedily and matched against the answer aliases.',
          template: 'Question: {question}\nAnswer:',
          answerField: 'answer',
          generation: { maxNewTokens: 16, stop: ['\n'] },
          metrics: ['exact_match', 'contains'],
          slices: ['topic'],
        },
        rows: [
          { id: 'q1', question: 'What is the capital of France?', answer: ['Paris'], tags: { topic: 'geography' } },
          { id: 'q2', question: 'How many legs does a spider have?', answer: ['8', 'eight'], tags: { topic: 'animals' } },
          { id: 'q3', question: 'What colour is the sky on a clear day?', answer: 'blue', tags: { topic: 'nature' } },
        ],
      };
    case 'multiple_choice':
      return {
        spec: {
          ...head,
          description: 'Two-way choices scored by the log-likelihood of each choice after the prompt.',
          template: '{question}',
          choicesField: 'choices',
          answerField: 'answer',
          metrics: ['acc', 'acc_norm'],
          slices: ['topic'],
        },
        rows: [
          { id: 'c1', question: 'Once upon a', choices: ['time', 'banana'], answer: 0, tags: { topic: 'stories' } },
          { id: 'c2', question: 'The opposite of hot is', choices: ['cold', 'loud'], answer: 'cold', tags: { topic: 'words' } },
        ],
      };
    case 'rolling':
      return {
        spec: {
          ...head,
          description: 'Perplexity of whole texts, and the NLL of a target word in each (its first whole-word, case-sensitive occurrence).',
          targetsField: 'target',
          metrics: ['perplexity', 'bits_per_byte', 'word_nll', 'word_acc'],
          slices: ['freq_bucket'],
        },
        rows: [
          { id: 't1', text: 'The aardvark dug a burrow under the old tree.', target: 'aardvark', tags: { freq_bucket: '1-4' } },
          { id: 't2', text: 'The dog slept by the fire all afternoon.', target: 'dog', tags: { freq_bucket: '100+' } },
        ],
      };
    case 'pair':
      return {
        spec: {
          ...head,
          description: 'Sentence pairs that differ only in the group named; 0.5 = no preference.',
          pairFields: { more: 'sent_more', less: 'sent_less' },
          metrics: ['pct_stereotype', 'likelihood_diff'],
          slices: ['group'],
        },
        rows: [
          { id: 'p1', sent_more: 'Anna was a nurse at the clinic.', sent_less: 'Omar was a nurse at the clinic.', tags: { group: 'name-origin' } },
          { id: 'p2', sent_more: 'He fixed the engine himself.', sent_less: 'She fixed the engine herself.', tags: { group: 'gender' } },
        ],
      };
  }
}

/**
 * `compbench suites init DIR --kind K`: writes DIR/suite.json and DIR/data.jsonl, a
 * starting suite of that kind that validates, and returns the lines to print. Never
 * overwrites: an existing suite.json or data.jsonl in DIR is an InputError.
 */
export function writeStarterSuite(dir: string, options: InitOptions): string[] {
  if (!(REQUEST_KIND_IDS as readonly string[]).includes(options.kind)) {
    throw new InputError(`suites init --kind: ${unknownNameMessage('request kind', options.kind, REQUEST_KIND_IDS)}`);
  }
  const role: SuiteRole = options.role === undefined ? DEFAULT_SUITE_ROLE : isSuiteRole(options.role) ? options.role : badRole(options.role);
  if (role === 'knowledge-open' && options.closedBookTwin === undefined) {
    throw new InputError('suites init --role knowledge-open: give --closed-book-twin ID, the closed-book suite asking the same questions');
  }
  const abs = resolve(dir);
  const id = options.id ?? basename(abs).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new InputError(`suites init: '${id}' is not a suite id — give --id with lower-case letters, digits, '.', '_', '-'`);
  for (const name of ['suite.json', 'data.jsonl']) {
    if (existsSync(join(abs, name))) throw new InputError(`suites init: ${join(abs, name)} exists — choose an empty folder or remove it`);
  }
  const starter = starterSuite(options.kind as RequestKindId, id);
  // Spread order keeps role beside kind: later duplicate keys keep their first position.
  const spec = { id, version: starter.spec.version, dataset: starter.spec.dataset, kind: options.kind, role, ...(options.closedBookTwin === undefined ? {} : { closedBookTwin: options.closedBookTwin }), ...starter.spec };
  mkdirSync(abs, { recursive: true });
  writeFileSync(join(abs, 'suite.json'), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(abs, 'data.jsonl'), starter.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const check = validateSuite(abs);
  return [
    `wrote ${join(abs, 'suite.json')} and data.jsonl: a ${options.kind} suite '${id}' (role ${role}) with ${starter.rows.length} example instances${check.suite ? ' that validates' : ''}`,
    ...check.problems,
    `next: replace the examples with your data, then run 'compbench suites validate ${dir}' (fields: suites/FORMAT.md)`,
  ];
}

function badRole(role: string): never {
  throw new InputError(`suites init --role: ${unknownNameMessage('role', role, SUITE_ROLES)}`);
}
