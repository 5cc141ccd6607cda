import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { readConfigFile, DEFAULT_CONFIG_FILE, type MethodEntry, type ResolvedRunConfig } from '../../../runners/matrix/config.js';
import { expandParams, planVariants, variantSlug } from '../../../runners/matrix/plan.js';

const test = suite('runners/matrix/plan');

function config(methods: readonly MethodEntry[]): ResolvedRunConfig {
  return {
    source: 'c.json', models: [{ id: 'teacher', dir: '/t' }, { id: 'student', dir: '/s', distilledFrom: 'teacher' }, { id: 'stories260k', dir: '/st' },
      { id: 'teacher-qat-w3', dir: '/q3', recoveredFrom: 'teacher' }, { id: 'teacher-qat-w2', dir: '/q2', recoveredFrom: 'teacher' }], baseline: 'teacher', methods,
    suites: [], seed: 1, limit: null, calibration: {}, measurement: { enabled: false, reuse: true, settings: {} },
    execution: { workers: 1, intraOpNumThreads: 1, shardSize: 100, cellTimeoutS: 10 }, cacheDir: '/c', changeEnvelope: {}, gatePolicy: 'default',
  };
}

test('list params expand into their cartesian product, in order', () => {
  assert.equal(expandParams({ method: 'rtn', bits: [8, 4], group: [32, 'channel'] }), [
    { bits: 8, group: 32 }, { bits: 8, group: 'channel' }, { bits: 4, group: 32 }, { bits: 4, group: 'channel' },
  ]);
});

test('the bundled default: 5 models + 16 teacher variants + 8 teacher GGUF variants + student rtn 4 + 9 stories260k variants + 2 QAT rtn = 41 variants', () => {
  const methods = readConfigFile(DEFAULT_CONFIG_FILE).raw.methods as MethodEntry[];
  const ids = planVariants(config(methods)).map((v) => v.id);
  assert.equal(ids, [
    'teacher', 'student', 'stories260k', 'teacher-qat-w3', 'teacher-qat-w2', 'teacher/rtn-w8-g32', 'teacher/rtn-w4-g32', 'teacher/rtn-w3-g32', 'teacher/rtn-w2-g32', 'teacher/gptq-w4-g32', 'teacher/gptq-w3-g32',
    'teacher/awq-w4-g32', 'teacher/awq-w3-g32', 'teacher/nf4', 'teacher/smoothquant-w8a8-a0.5', 'teacher/magnitude-50pct', 'teacher/wanda-50pct', 'teacher/fairprune-50pct',
    'teacher/nm-2of4', 'teacher/structured-25pct', 'teacher/flap-25pct', 'teacher/gguf-F32', 'teacher/gguf-Q8_0', 'teacher/gguf-Q6_K', 'teacher/gguf-Q5_K_M',
    'teacher/gguf-Q4_K_M', 'teacher/gguf-Q3_K_M', 'teacher/gguf-Q2_K', 'teacher/gguf-F32-kvq8_0', 'student/rtn-w4-g32',
    'stories260k/rtn-w4-g32', 'stories260k/rtn-w3-g32', 'stories260k/rtn-w2-g32', 'stories260k/gptq-w4-g32', 'stories260k/gptq-w3-g32',
    'stories260k/gptq-w2-g32', 'stories260k/awq-w4-g32', 'stories260k/awq-w3-g32', 'stories260k/awq-w2-g32',
    'teacher-qat-w3/rtn-w3-g32', 'teacher-qat-w2/rtn-w2-g32',
  ]);
});

test('a QAT-recovered model and its rtn variant are compared with the fp32 model it was recovered from, like the PTQ variant of equal bits', () => {
  const methods = readConfigFile(DEFAULT_CONFIG_FILE).raw.methods as MethodEntry[];
  const byId = new Map(planVariants(config(methods)).map((v) => [v.id, v]));
  for (const bits of [3, 2]) {
    const qat = byId.get(`teacher-qat-w${bits}/rtn-w${bits}-g32`)!;
    const ptq = byId.get(`teacher/rtn-w${bits}-g32`)!;
    assert.is(qat.comparedTo, 'teacher');
    assert.is(qat.recoveredFrom, 'teacher');
    assert.equal(qat.compress, ptq.compress, 'same method and grid as the PTQ variant');
    assert.is(byId.get(`teacher-qat-w${bits}`)!.comparedTo, 'teacher');
  }
  assert.is(byId.get('student/rtn-w4-g32')!.comparedTo, 'student', 'other compressed variants still face their own model');
  assert.is(byId.get('teacher/rtn-w3-g32')!.recoveredFrom, undefined);
});

test('variant slugs', () => {
  assert.is(variantSlug('nm', { n: 4, m: 8 }), 'nm-4of8');
  assert.is(variantSlug('rtn', { bits: 3, group: 'channel' }, 'simulated'), 'rtn-w3-gch-simulated');
});

test('a misspelt param is an InputError with did-you-mean; duplicate names are refused', () => {
  assert.throws(() => planVariants(config([{ method: 'rtn', bitz: 4 }])), (e: Error) => e instanceof InputError && /Unknown param 'bitz'. Did you mean: bits/.test(e.message));
  assert.throws(() => planVariants(config([{ method: 'rtn', bits: 9 }])), (e: Error) => e instanceof InputError && /\$\.methods\[0\]/.test(e.message));
  assert.throws(() => planVariants(config([{ method: 'nf4' }, { method: 'nf4' }])), (e: Error) => e instanceof InputError && /both named 'teacher\/nf4'/.test(e.message));
});

test.run();
