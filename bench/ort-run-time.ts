/**
 * Time spent inside onnxruntime's `session.run` in this process: the floor of any loop
 * that does the same forwards, since such a loop must at least run them. Installed by
 * wrapping `InferenceSession.prototype.run` (bench only; run() is synchronous under its
 * promise, so the wall time around it is the native time).
 */
import * as ort from 'onnxruntime-node';

let totalMs = 0;
let calls = 0;
let tokens = 0;
let installed = false;

/**
 * Starts accounting (idempotent). onnxruntime exports a factory, not the session class,
 * so the class is reached through a session opened on `onnxPath`.
 */
export async function installOrtRunTimer(onnxPath: string): Promise<void> {
  if (installed) return;
  installed = true;
  const probe = await ort.InferenceSession.create(onnxPath);
  const proto = Object.getPrototypeOf(probe) as { run: (...args: unknown[]) => Promise<unknown> };
  await probe.release();
  const original = proto.run;
  proto.run = async function timedRun(this: unknown, ...args: unknown[]): Promise<unknown> {
    // input_ids (B, T): every element is a token fed through the layers, padding included
    const ids = (args[0] as { input_ids?: { dims?: readonly number[] } } | undefined)?.input_ids?.dims;
    if (ids) tokens += ids.reduce((a, b) => a * b, 1);
    const t0 = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      totalMs += performance.now() - t0;
      calls++;
    }
  };
}

/** Seconds inside run(), calls, and input_ids elements fed (padding included) since the last reset. */
export function ortRunTime(): { seconds: number; calls: number; tokens: number } {
  return { seconds: totalMs / 1000, calls, tokens };
}

/** Zeroes the counters. */
export function resetOrtRunTime(): void {
  totalMs = 0;
  calls = 0;
  tokens = 0;
}
