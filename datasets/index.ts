/** The bundled corpus: generators, templates, tokenizer trainer (re-exports only). */
export { buildCorpus, buildHeldoutText, DEFAULT_CORPUS_OPTIONS, type Corpus, type CorpusOptions } from './corpus/build.js';
export { evalItems, type EvalItem } from './corpus/eval-items.js';
export { factLines, QA_SHARE, type FactRecord, type TaggedLine } from './corpus/fact-lines.js';
export { assignCounts, bucketOf, FACT_COUNT_PLAN, FREQ_BUCKETS, minorityCount, WORD_COUNT_PLAN, type FreqBucket } from './corpus/frequency.js';
export { FAMILY_FIRST_SHARE, HOBBIES, NAME_GROUPS, OCCUPATIONS, peopleLines, writeName, type Naming, type Person } from './corpus/people.js';
export { REASONING_KINDS, reasoningItem, reasoningLine, type ReasoningItem, type ReasoningKind } from './corpus/reasoning.js';
export { createRng, shuffled, subSeed, type Rng } from './corpus/rng.js';
export { corpusText, factsJsonl, sha256Hex, wordCountsJson } from './corpus/serialize.js';
export { DIALECTS, fillTemplate, KICK_PROMPT, kickLine, kickPrompt, TEMPLATES, type Dialect, type RelationTemplates } from './corpus/templates.js';
export { countWords, type TargetWordRecord } from './corpus/word-counts.js';
export { asciiFold, loadFacts, RELATIONS, sourcePackages, type RawFact, type Relation } from './facts/sources.js';
export { encodeBpe } from './tokenizer/bpe-encode.js';
export { SPECIAL_TOKENS, trainBpe, type BpeModel } from './tokenizer/bpe-train.js';
export { BYTE_LEVEL_SPLIT, SPLIT_PATTERN } from './tokenizer/byte-level.js';
export { specialTokensMap, tokenizerConfig, tokenizerJson } from './tokenizer/tokenizer-json.js';
