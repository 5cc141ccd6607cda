/**
 * The TinyStories suites of the bundled stories260K model, built from the stories in
 * `datasets/tinystories/` (written for compbench, CC0, plus the 5-story MIT sample):
 * rolling perplexity over whole stories, and a LAMBADA-style cloze whose target is a
 * story's last word, which the story names earlier. Pure: texts in, suites out.
 */
import { InfraError } from '../../core/errors.js';
import { findLastWord, findWord } from '../../core/text.js';
import { wilsonHalfWidth } from './ci.js';
import type { BuiltSuite, SuiteRow } from './types.js';

/** Ids of the TinyStories suites, in build order. */
export const STORY_SUITE_IDS = ['tinystories-perplexity', 'tinystories-cloze'] as const;

/** Words that end a sentence without being a referent: a story ending on one is not a cloze item. */
const NOT_A_REFERENT: ReadonlySet<string> = new Set([
  'a', 'again', 'all', 'an', 'and', 'anymore', 'away', 'back', 'down', 'ever', 'forever', 'her', 'him', 'home', 'in', 'it',
  'me', 'more', 'now', 'off', 'on', 'out', 'soon', 'that', 'the', 'them', 'then', 'there', 'they', 'this', 'today', 'together', 'too',
  'up', 'us', 'we', 'you',
]);

/** The stories of a file: blank-line-separated paragraphs, trimmed, non-empty. */
export function storyParagraphs(text: string): string[] {
  return text.split(/\n\s*\n/u).map((s) => s.trim()).filter((s) => s !== '');
}

/** The stories of the TinyStories sample file: separated by `<|endoftext|>`, trimmed, non-empty. */
export function sampleStories(text: string): string[] {
  return text.split('<|endoftext|>').map((s) => s.trim()).filter((s) => s !== '');
}

/** A cloze item: the story and its target, the story's last word. */
export interface ClozeItem {
  readonly text: string;
  readonly target: string;
}

/**
 * The story's cloze item, or why it has none: the target is the last word (letters and
 * digits) of the story; it must be a referent (not a function word) and occur earlier in
 * the story as the same whole word, case-sensitive, so it is predictable from context.
 */
export function clozeItem(story: string): ClozeItem | string {
  const words = story.match(/[\p{L}\p{N}]+/gu) ?? [];
  const target = words[words.length - 1];
  if (target === undefined) return 'the story has no words';
  if (NOT_A_REFERENT.has(target.toLowerCase())) return `the last word '${target}' is a function word, not a referent`;
  if (findWord(story, target) === findLastWord(story, target)) return `the last word '${target}' is not named earlier in the story`;
  return { text: story, target };
}

function checked(stories: readonly string[], what: string): ClozeItem[] {
  const problems: string[] = [];
  const items = stories.map((s, i) => {
    const item = clozeItem(s);
    if (typeof item === 'string') problems.push(`${what} story ${i + 1} ('${s.slice(0, 40)}…'): ${item}`);
    return item;
  });
  if (problems.length > 0) throw new InfraError(`${problems.length} cloze stories have no usable target — rewrite their endings: ${problems.join('; ')}`);
  return items as ClozeItem[];
}

/** `tinystories-perplexity`: every story written for compbench, then the 5 sample stories, one document each. */
export function storyPerplexitySuite(own: readonly string[], sample: readonly string[]): BuiltSuite {
  const rows: SuiteRow[] = [
    ...own.map((text, i) => ({ id: `story-${String(i + 1).padStart(3, '0')}`, text, tags: { source: 'compbench' } })),
    ...sample.map((text, i) => ({ id: `sample-${i + 1}`, text, tags: { source: 'tinystories-sample' } })),
  ];
  return {
    id: 'tinystories-perplexity',
    spec: {
      id: 'tinystories-perplexity',
      version: '1.0.0',
      description:
        `Perplexity and bits per byte of TinyStories-style stories, one document each: ${own.length} written for compbench (datasets/tinystories/perplexity-stories.txt, CC0) ` +
        `and the ${sample.length} TinyStories stories of the MIT sample (tinystories_sample.txt). Ratio of sums with a bootstrap CI. n=${rows.length} documents. For models trained on TinyStories (stories260K).`,
      dataset: 'data.jsonl',
      kind: 'rolling',
      role: 'perplexity',
      metrics: ['perplexity', 'bits_per_byte'],
    },
    rows,
    heldOut: 'the stories were written for compbench and are not in any training set of ours; calibration uses other stories (datasets/tinystories/calibration-stories.txt), and a test checks that no story is shared.',
    countedTags: ['source'],
    binary: false,
  };
}

/** `tinystories-cloze`: each story's last word given the rest (LAMBADA-style), greedy accuracy and NLL. */
export function storyClozeSuite(stories: readonly string[]): BuiltSuite {
  const rows: SuiteRow[] = checked(stories, 'cloze').map((item, i) => ({
    id: `cloze-${String(i + 1).padStart(3, '0')}`,
    text: item.text,
    target: item.target,
    tags: { target_kind: /^\p{Lu}/u.test(item.target) ? 'name' : 'word' },
  }));
  return {
    id: 'tinystories-cloze',
    spec: {
      id: 'tinystories-cloze',
      version: '1.0.0',
      description:
        'LAMBADA-style cloze on TinyStories-style stories written for compbench (datasets/tinystories/cloze-stories.txt, CC0): the target is the last word of a story, ' +
        'a name or an object the story names earlier, scored given everything before it. word_acc: greedy decoding produces the word (LAMBADA accuracy); word_nll: its NLL in nats. ' +
        `Targets were fixed by that rule before any model scored the stories. n=${rows.length}; word_acc is a ratio with a bootstrap CI, roughly Wilson ±${wilsonHalfWidth(rows.length, 0.5).toFixed(3)} at 0.5 and ±${wilsonHalfWidth(rows.length, 0.8).toFixed(3)} at 0.8.`,
      dataset: 'data.jsonl',
      kind: 'rolling',
      role: 'other',
      targetsField: 'target',
      targetOccurrence: 'last',
      metrics: ['word_acc', 'word_nll'],
      slices: ['target_kind'],
    },
    rows,
    heldOut: 'the stories were written for compbench; the calibration stories are different stories.',
    countedTags: ['target_kind'],
    binary: true,
  };
}
