/**
 * A format-neutral report document: sections of paragraphs, lists, tables and charts.
 * Builders fill it with raw text (model output included); the HTML and Markdown
 * renderers escape every string on the way out, so no builder escapes anything.
 */

/** A table cell: its text, an optional sort key (numbers sort numerically) and a background tone. */
export interface TableCell {
  readonly text: string;
  readonly sort?: number | string;
  /** CSS colour for heatmap cells (generated, never from data). */
  readonly tone?: string;
}

/** A sortable table. */
export interface Table {
  readonly id: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (TableCell | string)[])[];
  readonly caption?: string;
  /** Rows the page's filter box hides when they do not contain its text (gate rules, example items). */
  readonly filterable?: boolean;
}

/** One block of a section. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string; readonly tone?: 'ok' | 'warn' | 'bad' }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly table: Table }
  /** A chart by id (HTML canvas + PNG); Markdown links the PNG. */
  | { readonly kind: 'chart'; readonly chartId: string; readonly title: string }
  | { readonly kind: 'code'; readonly text: string };

/** A titled section with a stable id (the browser test looks sections up by id). */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

/** Shorthand builders. */
export const para = (text: string, tone?: 'ok' | 'warn' | 'bad'): Block => ({ kind: 'paragraph', text, ...(tone ? { tone } : {}) });
/** A list block. */
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
/** A table block. */
export const table = (t: Table): Block => ({ kind: 'table', table: t });
/** A numeric cell that sorts by `value`. */
export const numCell = (text: string, value: number | null | undefined, tone?: string): TableCell => ({
  text,
  ...(value === null || value === undefined || Number.isNaN(value) ? {} : { sort: value }),
  ...(tone ? { tone } : {}),
});
/** The text of a cell. */
export const cellText = (c: TableCell | string): string => (typeof c === 'string' ? c : c.text);
