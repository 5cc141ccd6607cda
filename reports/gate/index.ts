export { gateCommand, gateRun, GATE_USAGE, type GateRun } from './command.js';
export { evaluateGate } from './evaluate.js';
export { defaultPolicy, derivePolicy, DERIVED_POLICY_SOURCE } from './derive-policy.js';
export { verdictLines, targetOf, underpoweredPasses, verdictLabel } from './format.js';
export { judgePower, requiresPower } from './power-check.js';
export {
  loadPolicy,
  inlinePolicy,
  parsePolicyText,
  BUNDLED_POLICY_FILE,
  GATE_POLICY_SCHEMA_FILE,
  RULE_KINDS,
  type GatePolicy,
  type GateRule,
  type LoadedPolicy,
  type PolicySource,
  type RuleKind,
  type SimulatedHandling,
} from './policy.js';
export { DEFAULT_RECOVERY_RATIO } from './result.js';
export { readRunRecord, writeGateVerdict, runFileOf } from './run-file.js';
