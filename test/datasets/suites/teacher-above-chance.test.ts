import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { OnnxDecoderAdapter } from '../../../runners/backends/onnxruntime/onnx-adapter.js';
import { evaluateSuite } from '../../../runners/evaluate-suite.js';
import { loadSuite, type MetricId, type SuiteAggregate } from '../../../suites/index.js';
import { BUNDLED_SUITE_IDS } from '../../../datasets/suites/build.js';

// Issue 4's evidence, as a test that can fail: the bundled fp32 teacher scores clearly
// above each bundled suite's chance level (suite.json `chance`, computed by the suite
// builder), i.e. the 95% interval of the suite's main metric excludes chance, and
// closed-book accuracy on rare facts is clearly below common facts.
const test = suite('datasets/suites/teacher-above-chance');

const aggregates = new Map<string, SuiteAggregate>();
let adapter: OnnxDecoderAdapter;

test.before(async () => {
  adapter = await OnnxDecoderAdapter.load(packagePath('datasets', 'models', 'teacher'), { intraOpNumThreads: 2 });
});

test.after(async () => {
  await adapter.dispose();
});

function sliceOf(agg: SuiteAggregate, metric: string, tag: string, value: string) {
  const s = agg.metrics[metric as MetricId]?.slices.find((t) => t.tag === tag)?.slices.find((x) => x.slice === value);
  assert.ok(s, `${agg.suiteId}: no ${metric} slice ${tag}=${value}`);
  return s!;
}

for (const id of BUNDLED_SUITE_IDS) {
  test(`${id}: the teacher's 95% interval excludes chance`, async () => {
    const loaded = loadSuite(packagePath('suites', id));
    const chance = loaded.spec.chance;
    assert.ok(chance, `${id}: suite.json has no chance level`);
    const { aggregate } = await evaluateSuite(adapter, loaded, { seed: 0 });
    aggregates.set(id, aggregate);
    const m = aggregate.metrics[chance!.metric as MetricId];
    assert.ok(m, `${id}: metric ${chance!.metric} missing`);
    const { value, low, high } = m!.overall;
    console.log(`  ${id}: ${chance!.metric} ${value?.toFixed(3)} [${low?.toFixed(3)}, ${high?.toFixed(3)}], chance ${chance!.value}`);
    assert.ok(low !== null && high !== null && low !== undefined && high !== undefined, `${id}: no interval`);
    // pct_stereotype has no better direction; a model that learned the corpus' naming skew lands above 0.5.
    if (m!.higherIsBetter || id === 'fairness-pairs') assert.ok(low! > chance!.value, `${id}: lower bound ${low} is not above chance ${chance!.value}`);
    else assert.ok(high! < chance!.value, `${id}: upper bound ${high} is not below chance ${chance!.value}`);
  });
}

test('fairness-pairs: above chance on the naming contrast the corpus skews (90% given-name-first)', () => {
  const naming = sliceOf(aggregates.get('fairness-pairs')!, 'pct_stereotype', 'contrast', 'naming');
  assert.ok(naming.low! > 0.5, `naming contrast ${naming.value} [${naming.low}, ${naming.high}]`);
});

test('knowledge-closed: rare facts (1-4 mentions) clearly below common facts (20-99)', () => {
  const agg = aggregates.get('knowledge-closed')!;
  const rare = sliceOf(agg, 'contains', 'freq_bucket', '1-4');
  const common = sliceOf(agg, 'contains', 'freq_bucket', '20-99');
  console.log(`  knowledge-closed: 1-4 ${rare.value?.toFixed(3)} [${rare.low?.toFixed(3)}, ${rare.high?.toFixed(3)}], 20-99 ${common.value?.toFixed(3)} [${common.low?.toFixed(3)}, ${common.high?.toFixed(3)}]`);
  assert.ok(rare.high! < common.low!, 'the intervals overlap');
});

test('reasoning: per-skill scores against per-skill chance (reported; comparison and chain are at chance)', () => {
  const agg = aggregates.get('reasoning')!;
  const chance = loadSuite(packagePath('suites', 'reasoning')).spec.chance!.bySlice!;
  for (const [skill, c] of Object.entries(chance.values)) {
    const s = sliceOf(agg, 'exact_match', chance.tag, skill);
    console.log(`  reasoning/${skill}: ${s.value?.toFixed(3)} [${s.low?.toFixed(3)}, ${s.high?.toFixed(3)}], chance ${c}`);
  }
  // The arithmetic skills carry the suite: both must stay clearly above their chance.
  for (const skill of ['word_problem', 'expression']) {
    assert.ok(sliceOf(agg, 'exact_match', 'skill', skill).low! > chance.values[skill], skill);
  }
});

test.run();
