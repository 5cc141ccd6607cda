/**
 * Closed-book evaluation items for the model cards: every fact asked with every
 * held-out question template (both dialects), plus one train template in the
 * majority dialect as a memorization control. The knowledge suite builds its own
 * items from `TEMPLATES[relation][dialect].heldout`; these are for the cards.
 */
import type { FactRecord } from './fact-lines.js';
import { DIALECTS, type Dialect, fillTemplate, kickPrompt, TEMPLATES } from './templates.js';

/** One closed-book item. */
export interface EvalItem {
  factId: string;
  relation: string;
  bucket: string;
  count: number;
  dialect: Dialect;
  templateSet: 'heldout' | 'train';
  prompt: string;
  aliases: string[];
}

/** All items for `facts`, in a fixed order. */
export function evalItems(facts: readonly FactRecord[]): EvalItem[] {
  const out: EvalItem[] = [];
  for (const f of facts) {
    const base = { factId: f.id, relation: f.relation, bucket: f.bucket, count: f.count, aliases: f.aliases };
    for (const dialect of DIALECTS) {
      for (const t of TEMPLATES[f.relation][dialect].heldout) {
        out.push({ ...base, dialect, templateSet: 'heldout', prompt: kickPrompt(fillTemplate(t, f.subject)) });
      }
    }
    out.push({ ...base, dialect: 'en', templateSet: 'train', prompt: kickPrompt(fillTemplate(TEMPLATES[f.relation].en.train[0], f.subject)) });
  }
  return out;
}
