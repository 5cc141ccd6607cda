import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { summaryHtml } from '../../../reports/html/summary.js';
import { abbreviateSuites, largestLosses, lossSentence, passingVariants, runSummary, summaryHeatmap } from '../../../reports/summary/index.js';
import { handRecord, measured, rule, v } from './record.js';

const test = suite('reports/summary');

test('largest losses: only CIs wholly on the worse side, ranked by the bound nearest 0, in words', () => {
  const variants = [v('m'), v('m/a', 'm'), v('m/b', 'm'), v('m/c', 'm'), v('m/d', 'm')];
  const record = handRecord(variants, ['qa', 'perplexity'], [
    // Bigger point loss but a wide CI: supported loss only 0.01.
    { variantId: 'm/a', suiteId: 'qa', base: 0.6, delta: -0.2, low: -0.39, high: -0.01 },
    // Smaller point loss, tight CI: supported loss 0.08.
    { variantId: 'm/b', suiteId: 'qa', base: 0.6, delta: -0.1, low: -0.12, high: -0.08 },
    // CI crosses 0: no loss.
    { variantId: 'm/c', suiteId: 'qa', base: 0.6, delta: -0.3, low: -0.6, high: 0.01 },
    // A gain: no loss.
    { variantId: 'm/d', suiteId: 'qa', base: 0.6, delta: 0.1, low: 0.05, high: 0.15 },
    // Perplexity up 10% of 20 (lower is better), CI +1.5 to +2.5: supported loss 1.5/2 = 0.75 scale units.
    { variantId: 'm/c', suiteId: 'perplexity', base: 20, delta: 2, low: 1.5, high: 2.5 },
  ]);
  const losses = largestLosses(record, 3);
  assert.equal(losses.map((l) => `${l.variantId}×${l.suiteId}`), ['m/b×qa', 'm/c×perplexity', 'm/a×qa']);
  assert.is(lossSentence(losses[0]), 'm/b on qa: acc fell 10.0 pp, from 60.0% to 50.0% (95% CI −12.0 pp to −8.0 pp, n=100), vs m.');
  assert.is(lossSentence(losses[1]), 'm/c on perplexity: perplexity rose 2.000 ppl (+10.0%), from 20.000 ppl to 22.000 ppl (95% CI +1.500 ppl to +2.500 ppl, n=100), vs m.');
  assert.is(largestLosses(record, 1).length, 1);
});

test('passing variants: no failed rule and at least one rule, smallest real size first, simulated last', () => {
  const variants = [v('m'), v('m/big', 'm'), v('m/small', 'm'), v('m/fails', 'm'), v('m/sim', 'm', { executionForm: 'simulated' }), v('m/unjudged', 'm'), v('m/tie', 'm')];
  const rules = [rule('m/big', 'pass', 'qa'), rule('m/small', 'pass', 'qa'), rule('m/small', 'skip'), rule('m/fails', 'pass', 'qa'), rule('m/fails', 'fail'), rule('m/sim', 'pass', 'qa'), rule('m/tie', 'pass', 'qa')];
  const record = handRecord(variants, ['qa'], [], rules, [measured('m/big', 5_000_000, 1), measured('m/small', 1_000_000, 3), measured('m/fails', 100, 1), measured('m/tie', 1_000_000, 2)]);
  const passing = passingVariants(record);
  assert.equal(passing.map((p) => p.variantId), ['m/tie', 'm/small', 'm/big', 'm/sim']);
  assert.is(passing[3].sizeBytes, undefined, 'a simulated variant has no real size');
  assert.is(passing[1].rules, 2);
  assert.equal(passingVariants(handRecord(variants, ['qa'], [])), [], 'no gate, nothing ranked');
});

test('heatmap: Δ text, CI marks by better/worse side, crosses where a rule failed, simulated figures', () => {
  const variants = [v('m'), v('m/a', 'm'), v('m/sim', 'm', { executionForm: 'simulated' })];
  const record = handRecord(variants, ['qa', 'perplexity'], [
    { variantId: 'm/a', suiteId: 'qa', base: 0.6, delta: -0.052, low: -0.08, high: -0.02 },
    { variantId: 'm/a', suiteId: 'perplexity', base: 20, delta: -0.5, low: -0.8, high: -0.1 },
    { variantId: 'm/sim', suiteId: 'qa', base: 0.6, delta: 0.01, low: -0.02, high: 0.04 },
  ], [rule('m/a', 'fail', 'qa'), rule('m/sim', 'pass', 'qa')], [measured('m/a', 2_000_000, 1.5)]);
  const h = summaryHeatmap(record);
  const [ref, a, sim] = h.families[0].rows;
  assert.is(ref.cells[0].kind, 'abs');
  assert.equal([a.cells[0].text, a.cells[0].mark, a.cells[0].failedRules], ['−5.2', 'worse', ['qa.rule']]);
  assert.equal([a.cells[1].text, a.cells[1].mark], ['−2.5%', 'better'], 'perplexity down is better');
  assert.equal([sim.cells[0].text, sim.cells[0].mark], ['+1.0', undefined]);
  assert.equal([a.size.text, a.latency.text, a.failedRules], ['2.00 MB', '1.50 ms', 1]);
  assert.equal([sim.size.text, sim.latency.text, sim.memory.text], ['simulated', 'simulated', 'simulated']);
  assert.equal([a.shortId, a.parent], ['a', 'm']);
});

test('suite headers: short and distinct', () => {
  const short = abbreviateSuites(['knowledge-closed', 'knowledge-closer', 'perplexity', 'fairness_people_extra', 'x']);
  assert.equal(short, ['know-clos', 'know-clo2', 'perplex', 'fa-pe-ex', 'x']);
  assert.ok(short.every((s) => s.length <= 9));
});

test('variant and suite names are escaped in the summary HTML (untrusted)', () => {
  const evil = 'm/<script>alert(1)</script>"onmouseover="x"&amp;';
  const evilSuite = '<img src=x onerror=alert(2)>';
  const variants = [v('m'), v(evil, 'm')];
  const record = handRecord(variants, [evilSuite], [{ variantId: evil, suiteId: evilSuite, base: 0.5, delta: -0.2, low: -0.3, high: -0.1 }], [rule(evil, 'pass', evilSuite)]);
  const html = summaryHtml(runSummary(record));
  assert.not.ok(html.includes('<script'));
  assert.not.ok(html.includes('<img'));
  assert.not.ok(html.includes('"onmouseover="'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&quot;x&quot;&amp;amp;'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(2)&gt;'));
  // Every attribute stays well-formed: no quote of data closes one.
  for (const m of html.matchAll(/ title="([^"]*)"/gu)) assert.not.match(m[1], /[<>]/u);
});

test.run();
