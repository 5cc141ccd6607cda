export { HELP_FLAG, parseArgsOptions, type CommandSpec, type FlagSpec, type FlagTable, type FlagValues } from './flag-table.js';
export { parseCommandArgs, closestKnown, type ParsedArgs } from './parse.js';
export { commandUsage, overviewUsage } from './help.js';
export { commandLineProblems, specOf } from './check.js';
export { COMMAND_SPECS } from './specs/index.js';
