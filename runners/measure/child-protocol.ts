import type { MeasurementRecord } from '../../core/run-record.js';
import type { ResolvedMeasureSettings } from './settings.js';

/** What the parent passes to the measuring child (as one JSON argv entry). */
export interface ChildRequest {
  readonly variantId: string;
  readonly modelDir: string;
  readonly sizeBytes: number;
  readonly settings: ResolvedMeasureSettings;
}

/** Facts about how a measurement was taken that the run record has no field for. */
export interface MeasurementDiagnostics {
  /** True when /proc/self/clear_refs reset VmHWM at the child's start. */
  readonly peakRssReset: boolean;
  /** Why the reset failed. */
  readonly peakRssResetError?: string;
  /** The child's process id (for logs). */
  readonly childPid?: number;
}

/** What the child prints: one line, {@link RESULT_MARKER} then this as JSON. */
export interface ChildReply {
  readonly record: MeasurementRecord;
  readonly diagnostics: MeasurementDiagnostics;
}

/** Prefix of the child's result line, so chatter from native libraries on stdout is ignored. */
export const RESULT_MARKER = '@@compbench-measure@@ ';

const STATES = new Set(['measured', 'not-applicable', 'errored']);

/** The child's reply from its stdout, or a one-line reason why there is none. */
export function parseChildOutput(stdout: string, variantId: string): ChildReply | { readonly error: string } {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  if (line === undefined) {
    const shown = stdout.trim().replace(/\s+/g, ' ').slice(0, 120);
    return { error: `measurement child printed no result line${shown ? ` (stdout: "${shown}")` : ' (empty stdout)'}` };
  }
  let reply: unknown;
  try {
    reply = JSON.parse(line.slice(RESULT_MARKER.length));
  } catch {
    return { error: `measurement child printed a result that is not JSON: "${line.slice(RESULT_MARKER.length, RESULT_MARKER.length + 120)}"` };
  }
  const r = reply as Partial<ChildReply> | null;
  const rec = r?.record as { state?: unknown; variantId?: unknown } | undefined;
  if (!rec || typeof rec.state !== 'string' || !STATES.has(rec.state) || rec.variantId !== variantId || typeof r?.diagnostics !== 'object') {
    return { error: `measurement child printed a malformed result for ${variantId}` };
  }
  return reply as ChildReply;
}
