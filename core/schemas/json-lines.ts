/**
 * Maps each JSON Pointer (RFC 6901, e.g. `/metrics/0`) in a JSON text to the 1-based
 * line where its value starts, so schema errors can name a line. Expects text that
 * `JSON.parse` accepts; returns an empty map for anything else.
 */
export function jsonPointerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skipSpace = (): void => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\uFEFF') return;
    }
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const readValue = (pointer: string): void => {
    skipSpace();
    lines.set(pointer, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      skipSpace();
      for (let index = 0; text[i] !== close; index++) {
        skipSpace();
        if (c === '{') {
          const key = readString();
          skipSpace();
          i++; // ':'
          readValue(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        } else readValue(`${pointer}/${index}`);
        skipSpace();
        if (text[i] === ',') i++;
        skipSpace();
      }
      i++;
    } else if (c === '"') readString();
    else while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
  };
  try {
    JSON.parse(text);
    readValue('');
  } catch {
    return new Map();
  }
  return lines;
}

/** Renders a JSON Pointer as a readable JSON path: `/metrics/0` → `$.metrics[0]`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  return (
    '$' +
    pointer
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((key) => (/^\d+$/.test(key) ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`))
      .join('')
  );
}
