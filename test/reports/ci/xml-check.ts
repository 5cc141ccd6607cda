/**
 * A strict, small XML 1.0 well-formedness checker for tests (no XML parser is a
 * dependency and xmllint is not installed): one optional `<?xml …?>` declaration, one root
 * element, balanced tags, unique quoted attributes, only the five predefined entities and
 * character references, no `<` in attribute values, no `]]>` in text, only XML 1.0 Chars.
 * Comments, CDATA, DOCTYPE and processing instructions are rejected: the JUnit writer
 * emits none. Throws with the offset on the first violation.
 */

/** A parsed element with decoded attribute values and text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text content (not its children's), decoded. */
  readonly text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const CHAR_OK = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses `xml` or throws on the first well-formedness error. */
export function parseXmlStrict(xml: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed at ${i}: ${why} near ${JSON.stringify(xml.slice(i, i + 30))}`);
  };
  for (const ch of xml) if (!CHAR_OK(ch.codePointAt(0) ?? 0)) fail(`illegal character U+${(ch.codePointAt(0) ?? 0).toString(16)}`);
  const skipSpace = (): void => {
    while (i < xml.length && /[ \t\r\n]/u.test(xml[i])) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml);
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const decode = (raw: string, inAttr: boolean): string => {
    if (inAttr && raw.includes('<')) fail('< in an attribute value');
    if (!inAttr && raw.includes(']]>')) fail(']]> in text');
    return raw.replace(/&([^;]*);|&/gu, (all, ref: string | undefined) => {
      if (ref === undefined) return fail('bare &');
      if (ref in PREDEFINED) return PREDEFINED[ref];
      const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/u.exec(ref);
      if (!m) return fail(`unknown entity &${ref};`);
      const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
      if (!CHAR_OK(cp)) fail(`character reference to an illegal character ${all}`);
      return String.fromCodePoint(cp);
    });
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attrs, children: [], text: '' };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const attr = name();
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (xml[i] !== '=') fail('expected =');
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = xml.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute value');
      // Attribute-value normalization: raw whitespace characters become spaces.
      attrs[attr] = decode(xml.slice(i + 1, end).replace(/[\t\r\n]/gu, ' '), true);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= xml.length) fail(`unclosed <${tag}>`);
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== tag) fail(`end tag does not match <${tag}>`);
        skipSpace();
        if (xml[i] !== '>') fail('expected > after an end tag');
        i++;
        return { name: tag, attrs, children, text };
      }
      if (xml.startsWith('<!', i) || xml.startsWith('<?', i)) fail('comments, CDATA and processing instructions are not expected');
      if (xml[i] === '<') {
        children.push(element());
        continue;
      }
      const next = xml.indexOf('<', i);
      const end = next < 0 ? xml.length : next;
      text += decode(xml.slice(i, end).replace(/\r\n?/gu, '\n'), false);
      i = end;
    }
  };
  const decl = /^<\?xml version="1\.0"( encoding="UTF-8")?\?>/u.exec(xml);
  if (decl) i = decl[0].length;
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}
