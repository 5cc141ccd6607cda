import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChildOutput, RESULT_MARKER } from '../../../runners/measure/child-protocol.js';

const test = suite('runners/measure/child-protocol');

const reply = { record: { state: 'errored', variantId: 'v', error: 'x' }, diagnostics: { peakRssReset: true } };

test('the last marker line wins; chatter around it is ignored', () => {
  const out = `some native log\n${RESULT_MARKER}${JSON.stringify({ ...reply, record: { ...reply.record, error: 'old' } })}\n${RESULT_MARKER}${JSON.stringify(reply)}\nbye\n`;
  assert.equal(parseChildOutput(out, 'v'), reply);
});

test('no marker, bad JSON, wrong variant or state are one-line errors', () => {
  const bad = (out: string, re: RegExp): void => {
    const r = parseChildOutput(out, 'v');
    assert.ok('error' in r, out);
    assert.match((r as { error: string }).error, re);
    assert.not.match((r as { error: string }).error, /\n/);
  };
  bad('', /no result line \(empty stdout\)/);
  bad('hello\nworld\n', /no result line \(stdout: "hello world"\)/);
  bad(`${RESULT_MARKER}{not json\n`, /not JSON/);
  bad(`${RESULT_MARKER}${JSON.stringify({ ...reply, record: { ...reply.record, variantId: 'w' } })}\n`, /malformed/);
  bad(`${RESULT_MARKER}${JSON.stringify({ ...reply, record: { ...reply.record, state: 'fine' } })}\n`, /malformed/);
});

test.run();
