import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../core/paths.js';
import { closedBookTwinOf, roleOf, SUITE_ROLES } from '../../core/suite-roles.js';

const test = suite('core/suite-roles');

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(packagePath('core', 'schemas', name), 'utf8')) as Record<string, unknown>;

test('the suite and run-record schemas list exactly the roles', () => {
  const suiteEnum = (schema('suite.schema.json').properties as Record<string, { enum: string[] }>).role.enum;
  const record = schema('run-record.schema.json') as { properties: { suites: { items: { properties: { role: { enum: string[] } } } } } };
  assert.equal(suiteEnum, [...SUITE_ROLES]);
  assert.equal(record.properties.suites.items.properties.role.enum, [...SUITE_ROLES]);
});

test('a declared role wins over the id; records without roles read the bundled ids', () => {
  assert.is(roleOf({ id: 'perplexity', role: 'other' }), 'other');
  assert.is(roleOf({ id: 'my-qa', role: 'knowledge-closed' }), 'knowledge-closed');
  assert.is(roleOf({ id: 'knowledge-closed' }), 'knowledge-closed');
  assert.is(roleOf({ id: 'fairness-people' }), 'fairness');
  assert.is(roleOf({ id: 'my-qa' }), 'other');
  assert.is(closedBookTwinOf({ id: 'knowledge-open' }), 'knowledge-closed');
  assert.is(closedBookTwinOf({ id: 'knowledge-open', role: 'knowledge-open', closedBookTwin: 'x' }), 'x');
  assert.is(closedBookTwinOf({ id: 'knowledge-open', role: 'other' }), undefined);
});

test.run();
