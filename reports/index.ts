export { renderReport, buildSections, REPORT_SECTION_IDS, type RenderOptions, type RenderResult } from './render.js';
export { reportCommand, REPORT_USAGE } from './command.js';
export { loadRun, READABLE_VERSIONS, type LoadedRun, type InstanceLine } from './load-run.js';
export { escapeHtml, escapeMarkdown, escapeMarkdownLine, escapeTerminal, jsonForScript, neutralizeCsvCell } from './escape.js';
export { resultsCsv, CSV_COLUMNS } from './csv.js';
export { appendChangeLog, readChangeLog, defaultChangeLogDir, changeLogFile, type ChangeLogEntry } from './change/change-log.js';
export { screenVariant, screeningSentence, type Finding, type Screening } from './change/screening.js';
export { envelopeOf, type ChangeEnvelope, type EnvelopeDeclaration, type EnvelopeSource } from './change/envelope.js';
export { gateForRecords, type RecordGate } from './change/gate-verdict.js';
