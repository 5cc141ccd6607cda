export { runEndSummary, failingByVariant, type RunEndSummary, type RunEndPaths, type FailingVariant, type FailingRule } from './summary.js';
export { runEndLines, verdictLine, variantLine, RUN_END_WIDTH, RUN_END_MAX_VARIANTS } from './lines.js';
