import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';
import { BUNDLED_POLICY_FILE, GATE_POLICY_SCHEMA_FILE, inlinePolicy, loadPolicy, parsePolicyText, RULE_KINDS } from '../../../reports/gate/policy.js';
import { METRICS } from '../../../suites/metrics/registry.js';

const test = suite('reports/gate/policy');

function rejects(text: string, pattern: RegExp): string {
  try {
    parsePolicyText(text, 'p.json');
  } catch (e) {
    assert.instance(e, InputError);
    const message = (e as Error).message;
    assert.not.match(message, /\n/);
    assert.match(message, pattern);
    return message;
  }
  assert.unreachable(`accepted: ${text}`);
  return '';
}

const schema = JSON.parse(readFileSync(GATE_POLICY_SCHEMA_FILE, 'utf8')) as {
  $defs: { rule: { properties: { kind: { enum: string[] }; metric: { enum: string[] } } } };
};

test('the schema enums equal the rule kinds and the metric registry', () => {
  assert.equal(schema.$defs.rule.properties.kind.enum, [...RULE_KINDS]);
  assert.equal([...schema.$defs.rule.properties.metric.enum].sort(), Object.keys(METRICS).sort());
});

test('the bundled suites\' policy loads: its path as source, sha256 of its bytes, every bundled suite covered', () => {
  const { policy, source } = loadPolicy(BUNDLED_POLICY_FILE);
  assert.is(source.source, BUNDLED_POLICY_FILE);
  assert.is(source.sha256, createHash('sha256').update(readFileSync(BUNDLED_POLICY_FILE)).digest('hex'));
  const suites = new Set(policy.rules.map((r) => r.suite).filter(Boolean));
  for (const id of ['knowledge-closed', 'knowledge-open', 'rare-words', 'reasoning', 'fairness', 'fairness-people', 'fairness-pairs', 'perplexity']) {
    assert.ok(suites.has(id), id);
  }
  assert.ok(policy.rules.some((r) => r.kind === 'latency') && policy.rules.some((r) => r.kind === 'memory') && policy.rules.some((r) => r.kind === 'max_flip_rate'));
});

test('a policy file given by path keeps its path as the source', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'compbench-policy-')), 'mine.json');
  writeFileSync(file, JSON.stringify({ rules: [{ id: 'x', kind: 'floor', suite: 'qa', metric: 'acc', min: 0.5 }] }));
  const { policy, source } = loadPolicy(file);
  assert.is(source.source, file);
  assert.is(policy.rules[0].min, 0.5);
  assert.throws(() => loadPolicy(join(file, 'nope.json')), /cannot read the gate policy/);
});

test('an inline policy (run config) is checked the same way and hashed', () => {
  const value = { rules: [{ id: 'x', kind: 'memory', maxPeakRssBytes: 1024 }] };
  const { policy, source } = inlinePolicy(value, 'config.json#gatePolicy');
  assert.is(policy.rules[0].maxPeakRssBytes, 1024);
  assert.is(source.source, 'config.json#gatePolicy');
  assert.is(source.sha256, createHash('sha256').update(JSON.stringify(value)).digest('hex'));
  assert.throws(() => inlinePolicy({ rules: [{ id: 'x', kind: 'memory' }] }, 'config.json#gatePolicy'), /config\.json#gatePolicy:\d+: \$\.rules\[0\]: missing required field 'maxPeakRssBytes'/);
});

test('unknown rule kind and metric: file, line, JSON path and did-you-mean', () => {
  const kind = rejects('{\n  "rules": [\n    { "id": "a", "kind": "flor", "suite": "qa", "metric": "acc", "min": 1 }\n  ]\n}', /Unknown rule kind 'flor'/);
  assert.match(kind, /p\.json:3: \$\.rules\[0\]\.kind: /);
  assert.match(kind, /Did you mean: floor\?/);
  const metric = rejects('{"rules": [{ "id": "a", "kind": "floor", "suite": "qa", "metric": "acurracy", "min": 1 }]}', /\$\.rules\[0\]\.metric: Unknown metric 'acurracy'/);
  assert.match(metric, /^invalid gate policy: p\.json:1: /);
});

test('missing parameters, misplaced fields, bad ranges and duplicates are named', () => {
  rejects('{"rules": [{ "id": "a", "kind": "noninferiority", "suite": "qa", "metric": "acc" }]}', /\$\.rules\[0\]: missing required field 'margin'/);
  rejects('{"rules": [{ "id": "a", "kind": "latency" }]}', /\$\.rules\[0\]: .*decodeP99Ms/);
  rejects('{"rules": [{ "id": "a", "kind": "memory", "maxPeakRssBytes": 1, "suite": "qa" }]}', /\$\.rules\[0\]: .*remove suite, metric and slice/);
  rejects('{"rules": [{ "id": "a", "kind": "floor", "suite": "qa", "metric": "acc", "mn": 1 }]}', /unknown field 'mn'.*did you mean: min/);
  rejects('{"rules": [{ "id": "a", "kind": "relative_drop", "suite": "qa", "metric": "acc", "tolerance": 5 }]}', /\$\.rules\[0\]\.tolerance: must be <= 1/);
  rejects('{"rules": [{ "id": "a", "kind": "floor", "suite": "qa", "metric": "acc", "min": 1, "simulated": "ignore" }]}', /Unknown simulated handling 'ignore'/);
  rejects('{"rules": []}', /\$\.rules: must NOT have fewer than 1 items/);
  const dup = rejects(
    '{"rules": [\n{ "id": "a", "kind": "floor", "suite": "qa", "metric": "acc", "min": 1 },\n{ "id": "a", "kind": "floor", "suite": "qa", "metric": "acc", "min": 1 }\n]}',
    /duplicate rule id 'a'/,
  );
  assert.match(dup, /p\.json:3: \$\.rules\[1\]\.id/);
  rejects('{"rules": [', /p\.json(:\d+)?: malformed JSON/);
});

test.run();
