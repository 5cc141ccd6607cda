import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REQUEST_KIND_IDS } from '../../../suites/kinds/registry.js';
import { METRIC_IDS, METRICS, metricsForKind } from '../../../suites/metrics/registry.js';
import { suiteSchema } from '../../../suites/spec-check.js';

const test = suite('suites/metrics/registry');

test("the schema's metric enum equals the metric registry's keys", () => {
  const props = suiteSchema().properties as { metrics: { items: { enum: string[] } } };
  assert.equal([...props.metrics.items.enum].sort(), [...METRIC_IDS].sort());
});

test("the schema's kind enum equals the request-kind registry's keys", () => {
  const props = suiteSchema().properties as { kind: { enum: string[] } };
  assert.equal([...props.kind.enum].sort(), [...REQUEST_KIND_IDS].sort());
});

test('every kind has metrics and every metric reads a registered kind', () => {
  for (const kind of REQUEST_KIND_IDS) assert.ok(metricsForKind(kind).length > 0, kind);
  for (const id of METRIC_IDS) assert.ok(REQUEST_KIND_IDS.includes(METRICS[id].kind), id);
});

test('the too-few width rule follows the metric type: absolute for shares, relative for every unbounded metric', () => {
  for (const id of METRIC_IDS) assert.is(METRICS[id].ciWidth, METRICS[id].unit === '' ? 'absolute' : 'relative', id);
});

test.run();
