import { cellText, type Block, type Section } from './document.js';
import { escapeMarkdown, escapeMarkdownLine } from './escape.js';

/** Renders one block as Markdown; every string goes through {@link escapeMarkdown} or {@link escapeMarkdownLine}. */
export function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return escapeMarkdownLine(b.text);
    case 'list':
      return b.items.map((i) => `- ${escapeMarkdownLine(i)}`).join('\n');
    case 'table': {
      const { columns, rows } = b.table;
      const line = (cells: readonly string[]): string => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
      return [line(columns), `|${columns.map(() => '---').join('|')}|`, ...rows.map((r) => line(r.map(cellText)))].join('\n');
    }
    case 'chart':
      return `![${escapeMarkdown(b.title)}](charts/${encodeURIComponent(b.chartId)}.png)`;
    case 'code': {
      // A fence longer than any backtick run inside the text cannot be closed by it.
      const longest = Math.max(2, ...[...b.text.matchAll(/`+/gu)].map((m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}\n${b.text}\n${fence}`;
    }
  }
}

/** Renders sections as a Markdown document under a title and an optional subtitle line. */
export function documentMarkdown(title: string, sections: readonly Section[], subtitle?: string): string {
  const body = sections.map((s) => `## ${escapeMarkdown(s.title)}\n\n${s.blocks.map(blockMarkdown).join('\n\n')}`);
  const sub = subtitle === undefined ? '' : `${escapeMarkdownLine(subtitle)}\n\n`;
  return `# ${escapeMarkdown(title)}\n\n${sub}${body.join('\n\n')}\n`;
}
