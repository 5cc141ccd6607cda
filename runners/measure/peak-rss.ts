import { readFileSync, writeFileSync } from 'node:fs';
import { messageOf } from '../../core/errors.js';

/** Whether the peak-RSS reset worked, and why not. */
export type PeakRssReset = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Resets this process's peak resident set (VmHWM) to its current RSS: writing "5" to
 * /proc/self/clear_refs does that on Linux ≥ 4.0. Failure (another OS, a locked-down
 * /proc) is returned, not thrown: the child is fresh, so its peak then also counts Node's
 * start-up, which is below the model's own footprint anyway.
 */
export function resetPeakRss(): PeakRssReset {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return { ok: true };
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
}

/** VmHWM in bytes from the text of /proc/<pid>/status (reported there in kB = 1024 B). */
export function parseVmHwmBytes(statusText: string): number | undefined {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(statusText);
  return m ? Number(m[1]) * 1024 : undefined;
}

/**
 * This process's peak resident set in bytes: VmHWM where /proc exists, else Node's
 * `process.resourceUsage().maxRSS` (kB; getrusage, which cannot be reset).
 */
export function readPeakRssBytes(): number {
  try {
    const bytes = parseVmHwmBytes(readFileSync('/proc/self/status', 'utf8'));
    if (bytes !== undefined) return bytes;
  } catch {
    // no /proc: fall through to getrusage
  }
  return process.resourceUsage().maxRSS * 1024;
}
