import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InputError, messageOf, oneLine } from '../../core/errors.js';
import type { ExecutionForm, MeasurementRecord } from '../../core/run-record.js';
import { parseChildOutput, type ChildReply, type ChildRequest, type MeasurementDiagnostics } from './child-protocol.js';
import { resolveMeasureSettings, type MeasureSettings } from './settings.js';

/** The variant to measure. */
export interface MeasureInput {
  readonly variantId: string;
  /** Model folder (config.json, tokenizer.json, onnx/model.onnx), or a .gguf file or a folder holding one (see openModel). */
  readonly modelDir: string;
  readonly executionForm: ExecutionForm;
  /** Bytes on disk, copied into the record. */
  readonly sizeBytes: number;
}

/** A measurement with the facts the run record has no field for. */
export interface MeasuredVariant {
  readonly record: MeasurementRecord;
  readonly diagnostics: MeasurementDiagnostics;
}

/** Test seams: another child script (to simulate crashes and garbage output). */
export interface MeasureInternals {
  readonly childScript?: string;
}

/** Reason given for a simulated variant (it has no kernels of its own to time). */
export const SIMULATED_REASON = 'n/a (simulated): dequantized fp32 weights, no packed kernel ran';

/** Resolved relative to this module so it works from `dist/` or any other out dir. */
const CHILD_SCRIPT = fileURLToPath(new URL('./measure-child.js', import.meta.url));

/** Most stderr kept from a child, for the error line. */
const STDERR_KEEP_CHARS = 16_384;

/** Tail of the measurement queue: measurements never overlap, so they do not share CPU. */
let queueTail: Promise<unknown> = Promise.resolve();

function checkInput(input: MeasureInput): void {
  if (typeof input.variantId !== 'string' || input.variantId === '') throw new InputError('input.variantId must be a non-empty string');
  if (typeof input.modelDir !== 'string' || input.modelDir === '') throw new InputError(`input.modelDir of ${input.variantId} must be a folder path`);
  if (!['reference', 'packed', 'simulated'].includes(input.executionForm)) {
    throw new InputError(`input.executionForm of ${input.variantId} must be reference, packed or simulated (got ${String(input.executionForm)})`);
  }
  if (!Number.isInteger(input.sizeBytes) || input.sizeBytes < 0) throw new InputError(`input.sizeBytes of ${input.variantId} must be an integer ≥ 0 (got ${input.sizeBytes})`);
}

/**
 * Speed, memory and energy of one variant, measured in a child process that loads and runs
 * only that variant (DESIGN.md §8). Simulated variants are not run. Calls are queued, so
 * two measurements never run at once even when callers do not serialise them (a caller
 * should still not run other heavy work meanwhile). Bad input or settings reject with an
 * InputError; a crash, timeout or garbage output of the child is an `errored` record.
 */
export async function measureVariant(input: MeasureInput, settings: MeasureSettings = {}, internals: MeasureInternals = {}): Promise<MeasurementRecord> {
  return (await measureVariantWithDiagnostics(input, settings, internals)).record;
}

/** {@link measureVariant} plus diagnostics (whether VmHWM could be reset, the child's pid). */
export async function measureVariantWithDiagnostics(
  input: MeasureInput,
  settings: MeasureSettings = {},
  internals: MeasureInternals = {},
): Promise<MeasuredVariant> {
  checkInput(input);
  const resolved = resolveMeasureSettings(settings);
  if (input.executionForm === 'simulated') {
    return {
      record: { state: 'not-applicable', variantId: input.variantId, sizeBytes: input.sizeBytes, reason: SIMULATED_REASON },
      diagnostics: { peakRssReset: false, peakRssResetError: 'not run' },
    };
  }
  const request: ChildRequest = { variantId: input.variantId, modelDir: input.modelDir, sizeBytes: input.sizeBytes, settings: resolved };
  const job = queueTail.then(() => runChild(request, resolved.timeoutMs, internals.childScript ?? CHILD_SCRIPT));
  queueTail = job.catch(() => undefined);
  return job;
}

function errored(variantId: string, error: string): MeasuredVariant {
  return { record: { state: 'errored', variantId, error: oneLine(error) }, diagnostics: { peakRssReset: false } };
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/** Spawns the child, enforces the timeout (SIGKILL: it is a separate process) and reads its reply. */
function runChild(request: ChildRequest, timeoutMs: number, script: string): Promise<MeasuredVariant> {
  const id = request.variantId;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (r: MeasuredVariant): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    // stdin stays open and unused: its end tells the child that this process died.
    const child = spawn(process.execPath, [script, JSON.stringify(request)], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-STDERR_KEEP_CHARS)));
    child.on('error', (e) => finish(errored(id, `could not start the measurement child: ${messageOf(e)}`)));
    child.on('close', (code, signal) => {
      if (timedOut) return finish(errored(id, `measurement timed out after ${timeoutMs} ms (settings.timeoutMs); the child was killed`));
      const reply = parseChildOutput(stdout, id);
      if (!('error' in reply)) return finish(withPid(reply, child.pid));
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const why = lastLine(stderr);
      finish(errored(id, `measurement child ${how}: ${why ? why.slice(0, 300) : reply.error}`));
    });
  });
}

function withPid(reply: ChildReply, pid: number | undefined): MeasuredVariant {
  return { record: reply.record, diagnostics: { ...reply.diagnostics, childPid: reply.diagnostics.childPid ?? pid } };
}
