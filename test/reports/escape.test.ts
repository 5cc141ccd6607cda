import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeHtml, escapeMarkdown, escapeMarkdownLine, escapeTerminal, escapeXml, escapeXmlAttribute, jsonForScript, neutralizeCsvCell } from '../../reports/escape.js';

const test = suite('reports/escape');

// OWASP "CSV Injection": cells starting with = + - @ tab CR are prefixed with a single quote.
test('neutralizeCsvCell prefixes formula starters with a quote', () => {
  assert.is(neutralizeCsvCell('=HYPERLINK("http://evil","x")'), `'=HYPERLINK("http://evil","x")`);
  assert.is(neutralizeCsvCell('+1+1'), "'+1+1");
  assert.is(neutralizeCsvCell('-1+1'), "'-1+1");
  assert.is(neutralizeCsvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.is(neutralizeCsvCell('\tcmd'), "'\tcmd");
  assert.is(neutralizeCsvCell('\rcmd'), "'\rcmd");
});

test('neutralizeCsvCell leaves plain strings and numbers alone (negative numbers stay numbers)', () => {
  assert.is(neutralizeCsvCell('teacher'), 'teacher');
  assert.is(neutralizeCsvCell('a=b'), 'a=b');
  assert.is(neutralizeCsvCell(-0.052), -0.052);
  assert.is(typeof neutralizeCsvCell(-1), 'number');
  assert.is(neutralizeCsvCell(0), 0);
  assert.is(neutralizeCsvCell(null), '');
  assert.is(neutralizeCsvCell(undefined), '');
  assert.is(neutralizeCsvCell(Number.NaN), '');
});

test('escapeTerminal shows C0, DEL and C1 controls as \\u escapes, is idempotent, and keeps other text', () => {
  const evil = 'ok\u001b[2J\u001b]0;title\u0007\r\u007f\u009b ü — …';
  const once = escapeTerminal(evil);
  assert.is(once, 'ok\\u001b[2J\\u001b]0;title\\u0007\\u000d\\u007f\\u009b ü — …');
  assert.is(escapeTerminal(once), once);
});

test('escapeHtml escapes every markup character', () => {
  assert.is(escapeHtml(`<script>alert("x")</script>&'\``), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;');
  assert.is(escapeHtml(42), '42');
});

test('jsonForScript cannot close a script element and round-trips', () => {
  const value = { s: '</script><!-- & \u2028' };
  const text = jsonForScript(value);
  assert.not.ok(text.includes('<'));
  assert.not.ok(text.includes('>'));
  assert.equal(JSON.parse(text), value);
});

test('escapeMarkdown neutralizes inline markup, tables and raw HTML', () => {
  assert.is(escapeMarkdown('*b* _i_ `c` [l](u) a|b \\ ~s~'), '\\*b\\* \\_i\\_ \\`c\\` \\[l\\](u) a\\|b \\\\ \\~s\\~');
  assert.is(escapeMarkdown('<script>x</script>'), '&lt;script&gt;x&lt;/script&gt;');
  assert.is(escapeMarkdown('two\nlines'), 'two lines');
});

test('escapeMarkdown keeps model output from mentioning, linking, doing maths or reordering text', () => {
  const wj = '\u2060';
  assert.is(escapeMarkdown('cc @octocat and @org/team'), `cc @${wj}octocat and @${wj}org/team`);
  assert.is(escapeMarkdown('fixes #12 and !7'), `fixes #${wj}12 and !${wj}7`);
  assert.is(escapeMarkdown('see https://evil.example or www.evil.example'), `see https:${wj}//evil.example or www${wj}.evil.example`);
  assert.is(escapeMarkdown('$x^2$'), '\\$x^2\\$');
  assert.is(escapeMarkdown('a\u0000b\u001bc\u202ed\u0085e\tf'), 'abcde\tf');
  assert.is(escapeMarkdown('a # b @ c'), 'a # b @ c');
});

test('escapeMarkdownLine also guards line starts', () => {
  assert.is(escapeMarkdownLine('# not a heading'), '\\# not a heading');
  assert.is(escapeMarkdownLine('- not a list'), '\\- not a list');
  assert.is(escapeMarkdownLine('1. not a list'), '1\\. not a list');
  assert.is(escapeMarkdownLine('mid # stays'), 'mid # stays');
});

test('escapeXml escapes markup and quotes and drops characters XML 1.0 does not allow', () => {
  assert.is(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  assert.is(escapeXml('a\u0000b\u0001c\u001fd\ufffee\ud800f'), 'abcdef');
  assert.is(escapeXml('tab\tlf\ncr\r😀'), 'tab\tlf\ncr&#13;😀');
  assert.is(escapeXmlAttribute('tab\tlf\ncr\r"'), 'tab&#9;lf&#10;cr&#13;&quot;');
});

test.run();
