import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeCiWidthRule, measuredCiWidth, tooFewReason, type CiWidthRule } from '../../../core/stats/ci-width.js';
import { ciWidthRuleOf, summarizeRatio, summarizeScores } from '../../../core/stats/summary.js';

const test = suite('core/stats/ci-width');

const relative: CiWidthRule = { width: 'relative', maxCiWidth: 0.2, minN: 2 };
const absolute: CiWidthRule = { width: 'absolute', maxCiWidth: 0.2, minN: 2 };

test('perplexity (relative rule): the wider interval is flagged whenever the narrower one is', () => {
  // Issue 22's shape: the teacher scores tens of thousands on a TinyStories text, stories260k about 3.5.
  const stories = { n: 5, value: 3.55, low: 3.2, high: 3.95 };
  const teacher = { n: 5, value: 34000, low: 29000, high: 39000 };
  assert.ok(measuredCiWidth(teacher, relative)! > measuredCiWidth(stories, relative)!, 'the teacher interval is the wider one');
  assert.is(tooFewReason(stories, relative), 'relative CI width (high − low)/value = 0.211 > 0.2');
  assert.is(tooFewReason(teacher, relative), 'relative CI width (high − low)/value = 0.294 > 0.2');
  // Wider in raw units but narrower as a fraction of its value: not flagged, and the rule says why.
  const steady = { n: 5, value: 34000, low: 32000, high: 36000 };
  assert.ok(steady.high - steady.low > stories.high - stories.low);
  assert.is(tooFewReason(steady, relative), null);
  assert.is(measuredCiWidth(steady, relative)!.toFixed(3), '0.118');
});

test('shares (absolute rule) and the minimum n', () => {
  assert.is(tooFewReason({ n: 50, value: 0.5, low: 0.36, high: 0.64 }, absolute), 'absolute CI width high − low = 0.28 > 0.2');
  assert.is(tooFewReason({ n: 400, value: 0.5, low: 0.45, high: 0.55 }, absolute), null);
  assert.is(tooFewReason({ n: 1, value: 0.5, low: 0.4, high: 0.6 }, absolute), 'n=1 < 2');
  assert.is(describeCiWidthRule(relative), 'relative CI width (high − low)/value ≤ 0.2, n ≥ 2');
});

test("the summaries' tooFew flag is the stated rule, on a sweep of ratio and share samples", () => {
  const nll = [1.1, 1.4, 0.9, 1.3, 1.2, 1.0, 1.6, 0.8];
  for (let scale = 1; scale <= 12; scale += 1.5) {
    const options = { relativeWidth: true, seed: 3 };
    const s = summarizeRatio(nll.map((x) => x * scale * 100), nll.map(() => 100), Math.exp, options);
    assert.is(s.tooFew, tooFewReason(s, ciWidthRuleOf(options)) !== null, `scale ${scale}`);
  }
  for (const n of [2, 10, 40, 200]) {
    const scores = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const s = summarizeScores(scores);
    assert.is(s.tooFew, tooFewReason(s, ciWidthRuleOf({})) !== null, `n ${n}`);
  }
});

test.run();
