import { InputError } from '../../core/errors.js';
import { commandUsage, parseCommandArgs } from '../../core/cli/index.js';
import { GATE_SPEC } from '../../core/cli/specs/gate.js';
import type { GateVerdict } from '../../core/run-record.js';
import { defaultPolicy } from './derive-policy.js';
import { evaluateGate } from './evaluate.js';
import { verdictLines } from './format.js';
import { loadPolicy } from './policy.js';
import { readRunRecord, runFileOf, writeGateVerdict } from './run-file.js';

/** Usage text of `compbench gate`. */
export const GATE_USAGE = commandUsage(GATE_SPEC);

/** A gate run's verdict, its printed lines and the run.json it was written into. */
export interface GateRun {
  readonly verdict: GateVerdict;
  readonly lines: readonly string[];
  readonly runFile: string;
}

/**
 * Gates a run folder: reads and validates run.json and the policy (InputError on
 * either), evaluates, writes the verdict back into run.json, and returns it.
 */
export function gateRun(runDir: string, policyFile?: string): GateRun {
  const runFile = runFileOf(runDir);
  const record = readRunRecord(runFile);
  const { policy, source } = policyFile === undefined ? defaultPolicy(record) : loadPolicy(policyFile);
  const verdict = evaluateGate(record, policy, source);
  writeGateVerdict(runFile, verdict);
  return { verdict, lines: verdictLines(verdict), runFile };
}

/** `compbench gate RUN_DIR [--policy FILE]`: resolves to 0 (pass) or 1 (fail); invalid input throws an InputError (exit 2). */
export async function gateCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const parsed = parseCommandArgs(GATE_SPEC, args);
  if (parsed.values.help) {
    out(GATE_USAGE);
    return 0;
  }
  const [runDir, ...extra] = parsed.positionals;
  if (runDir === undefined) throw new InputError('gate: missing RUN_DIR; usage: compbench gate RUN_DIR [--policy FILE] [--print-policy]');
  if (extra.length > 0) throw new InputError(`gate: one RUN_DIR expected, got also ${extra.join(' ')}; usage: compbench gate RUN_DIR [--policy FILE]`);
  if (parsed.values['print-policy']) {
    const record = readRunRecord(runFileOf(runDir));
    const { policy } = parsed.values.policy === undefined ? defaultPolicy(record) : loadPolicy(parsed.values.policy);
    for (const line of JSON.stringify(policy, null, 2).split('\n')) out(line);
    return 0;
  }
  const result = gateRun(runDir, parsed.values.policy);
  for (const line of result.lines) out(line);
  out(`wrote the verdict into ${result.runFile}`);
  return result.verdict.verdict === 'pass' ? 0 : 1;
}
