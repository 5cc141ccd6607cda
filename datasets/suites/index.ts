/** Builders of the bundled suites (re-exports only). */
export { BUNDLED_SUITE_IDS, buildSuites, dataJsonlText, suiteFiles, suiteJsonText } from './build.js';
export { precisionNote, wilsonHalfWidth } from './ci.js';
export { type CorpusIndex, indexCorpus, occursInCorpus } from './corpus-index.js';
export { DIALECT_TEMPLATE_PAIRS, dialectRows, FAIRNESS_PER_CELL, fairnessFacts, fairnessSuite } from './fairness.js';
export { fairnessPairsSuite, pairRows, REFERENCE_GROUP } from './fairness-pairs.js';
export { fairnessPeopleSuite, peopleRows } from './fairness-people.js';
export { closedBookRows, KNOWLEDGE_BUCKETS, KNOWLEDGE_PER_CELL, knowledgeSuites, OPEN_BOOK_TEMPLATE, openBookRows, sampleKnowledgeFacts } from './knowledge.js';
export { counterpart, occupationSentence, peoplePool, type PoolLine, rewriteName } from './people-pool.js';
export { heldoutDocuments, PERPLEXITY_DOCS, perplexitySuite } from './perplexity.js';
export { tagCounts, suitesReadme } from './readme.js';
export { RARE_WORDS_PER_BUCKET, rareWordRows, rareWordsSuite, WORD_BUCKETS } from './rare-words.js';
export { REASONING_PER_SKILL, reasoningRows, reasoningSteps, reasoningSuite } from './reasoning.js';
export { evenSplit, stratifiedSample } from './sample.js';
export type { BuiltSuite, SuiteRow } from './types.js';
