/** A prompt template cut into literal text and `{field}` placeholders. */
export type TemplatePart = { readonly text: string } | { readonly field: string };

/**
 * Parses `{field}` placeholders (`{{` and `}}` are literal braces). Returns the parts,
 * or a one-line reason when a brace is unbalanced or a name is not an identifier.
 */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      const name = end < 0 ? '' : template.slice(i + 1, end);
      if (!/^[A-Za-z_][\w.-]*$/.test(name)) {
        return `bad placeholder at character ${i} ('${template.slice(i, end < 0 ? i + 12 : end + 1)}'): use {field} with a field name, or {{ for a literal brace`;
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ field: name });
      i = end;
    } else if (c === '}') {
      return `unmatched '}' at character ${i}: write }} for a literal brace`;
    } else text += c;
  }
  if (text) parts.push({ text });
  return parts;
}

/** Field names a template reads, in order of first use. */
export function templateFields(parts: readonly TemplatePart[]): string[] {
  return [...new Set(parts.flatMap((p) => ('field' in p ? [p.field] : [])))];
}

/** Fills the placeholders from `fields`: strings as they are, other values as JSON. Missing fields throw a RangeError. */
export function renderTemplate(parts: readonly TemplatePart[], fields: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const p of parts) {
    if ('text' in p) out += p.text;
    else {
      const v = fields[p.field];
      if (v === undefined) throw new RangeError(`template field {${p.field}} is missing`);
      out += typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return out;
}
