export { junitXml, ruleCaseName, JUNIT_ERRORS_SUITE } from './junit.js';
export { markdownSummary, GITHUB_COMMENT_MAX_CHARS, TRUNCATION_NOTICE, type MarkdownSummaryOptions } from './markdown-summary.js';
export { variantTableLines, markdownRow } from './variant-table.js';
