import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTemplate, renderTemplate, templateFields, type TemplatePart } from '../../suites/template.js';

const test = suite('suites/template');

test('placeholders, literal braces and rendering', () => {
  const parts = parseTemplate('Q: {question} {{not a field}} ({n})') as TemplatePart[];
  assert.equal(templateFields(parts), ['question', 'n']);
  assert.is(renderTemplate(parts, { question: 'Why?', n: 3 }), 'Q: Why? {not a field} (3)');
  assert.throws(() => renderTemplate(parts, { question: 'x' }), /\{n\} is missing/);
});

test('malformed templates give a one-line reason', () => {
  assert.match(parseTemplate('a {b') as string, /bad placeholder/);
  assert.match(parseTemplate('a {b c}') as string, /bad placeholder/);
  assert.match(parseTemplate('a } b') as string, /unmatched '\}'/);
});

test.run();
