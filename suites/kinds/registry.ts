import type { RequestKindId } from '../spec.js';
import type { KindDef } from './common.js';
import { generateKind } from './generate.js';
import { multipleChoiceKind } from './multiple-choice.js';
import { pairKind } from './pair.js';
import { rollingKind } from './rolling.js';

/**
 * Every request kind, keyed by the id suite.json's `kind` uses. The schema's `kind`
 * enum must list exactly these keys (a test checks it).
 */
export const REQUEST_KINDS = {
  multiple_choice: multipleChoiceKind,
  generate: generateKind,
  rolling: rollingKind,
  pair: pairKind,
} as const satisfies Record<RequestKindId, KindDef>;

/** All request kind ids, in registry order. */
export const REQUEST_KIND_IDS = Object.keys(REQUEST_KINDS) as RequestKindId[];
