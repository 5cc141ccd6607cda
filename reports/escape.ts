/**
 * Escaping for every output format of a report. Model output, prompts and ids are
 * untrusted text: they pass through exactly one of these functions on their way out.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"'`]/gu, (c) => HTML_ENTITIES[c]);
}

/**
 * JSON for an inline `<script type="application/json">` block: `<`, `>`, `&` and the
 * JS line separators become \u escapes, so no `</script>` or `<!--` can end the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</gu, '\\u003c')
    .replace(/>/gu, '\\u003e')
    .replace(/&/gu, '\\u0026')
    .replace(/\u2028/gu, '\\u2028')
    .replace(/\u2029/gu, '\\u2029');
}

/**
 * Escapes text for inline Markdown (a table cell, a heading's text): newlines become
 * spaces (so the text stays on one line), control characters are dropped, the inline
 * markup characters `\\ \` * _ [ ] | ~ $` get a backslash (`$` starts GitHub's maths), and
 * `<`, `>` and `&` become entities (raw HTML stays text). A word joiner (U+2060) goes
 * after `@` and `#` before a word character and into `://`, so model output in a
 * pull-request comment cannot mention a person, link an issue or become a link.
 */
export function escapeMarkdown(text: unknown): string {
  return String(text)
    .replace(/\r\n?|\n/gu, ' ')
    .replace(MARKDOWN_CONTROL, '')
    .replace(/[\\`*_[\]|~$]/gu, (c) => `\\${c}`)
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/([@#!])(?=[\p{L}\p{N}_])/gu, `$1${WORD_JOINER}`)
    .replace(/:\/\//gu, `:${WORD_JOINER}//`)
    .replace(/\bwww\./giu, (w) => `${w.slice(0, 3)}${WORD_JOINER}.`);
}

const WORD_JOINER = '\u2060';
// C0 and C1 controls but tab, and the bidirectional overrides that reorder what a reader sees.
const MARKDOWN_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * {@link escapeMarkdown} for text that starts a line (a paragraph, a list item): a
 * leading `#`, `-`, `+`, `=` or `1.` is escaped too, so it cannot start a heading, a
 * list or a rule.
 */
export function escapeMarkdownLine(text: unknown): string {
  return escapeMarkdown(text)
    .replace(/^(\s*)([#+=-])/u, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/u, '$1\\$2');
}

const FORMULA_START = /^[=+\-@\t\r]/u;

/**
 * Neutralizes one CSV cell against formula injection (OWASP): a string that starts with
 * `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. Numbers are returned unchanged, so a
 * negative number stays a number.
 */
export function neutralizeCsvCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

// The XML 1.0 Char production: any other code point (C0 controls but tab/LF/CR, lone
// surrogates, U+FFFE/U+FFFF) makes the whole document ill-formed, so it is dropped.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/**
 * Escapes text for XML 1.0 element content: `& < > " '` become entities, CR becomes
 * `&#13;` (a parser would turn a raw CR into LF), and characters XML 1.0 does not allow
 * (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed.
 */
export function escapeXml(text: unknown): string {
  return String(text).replace(XML_INVALID, '').replace(/[&<>"'\r]/gu, (c) => XML_ENTITIES[c]);
}

/**
 * {@link escapeXml} for a quoted attribute value: tab and LF become character references
 * too, since attribute-value normalization would turn raw ones into spaces.
 */
export function escapeXmlAttribute(text: unknown): string {
  return String(text).replace(XML_INVALID, '').replace(/[&<>"'\r\n\t]/gu, (c) => XML_ENTITIES[c]);
}

/** Control characters (C0, DEL, C1) as `\uXXXX`, so untrusted text cannot move the cursor or recolour a terminal. */
export function escapeTerminal(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
