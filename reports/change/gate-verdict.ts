import type { GateVerdict, RunRecord } from '../../core/run-record.js';
import { defaultPolicy, DERIVED_POLICY_SOURCE } from '../gate/derive-policy.js';
import { evaluateGate } from '../gate/evaluate.js';

/** The gate verdict a change record screens with, and whether the run recorded it. */
export interface RecordGate {
  readonly verdict: GateVerdict;
  /** `recorded`: run.json's verdict; `evaluated`: the run recorded none, so the default policy derived from its suites was applied now. */
  readonly origin: 'recorded' | 'evaluated';
}

/**
 * The run's gate verdict; when the run recorded none (`compbench run` always does,
 * a run folder written otherwise may not), the default policy derived from its suites
 * is applied here, so screening never goes without a gate.
 */
export function gateForRecords(record: RunRecord): RecordGate {
  if (record.gate) return { verdict: record.gate, origin: 'recorded' };
  const { policy, source } = defaultPolicy(record);
  return { verdict: evaluateGate(record, policy, source), origin: 'evaluated' };
}

/** One line on the gate a record used. */
export function gateLine(gate: RecordGate): string {
  const v = gate.verdict;
  // inlinePolicy hashes compact JSON (the derived default, config.gatePolicy); loadPolicy hashes the file's bytes.
  const inline = v.policySource === DERIVED_POLICY_SOURCE || v.policySource === 'config.gatePolicy';
  const hash = inline ? 'sha256 of the policy as compact JSON' : `plain sha256 of the file's bytes: sha256sum ${v.policySource}`;
  return `gate policy: ${v.policySource} (sha256 ${v.policySha256}: ${hash})${gate.origin === 'evaluated' ? '; the run recorded no verdict, so this record applied it when it was generated' : ''}`;
}
