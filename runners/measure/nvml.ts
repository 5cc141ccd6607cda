import { spawn, type ChildProcess } from 'node:child_process';

/**
 * GPU power sampling through `nvidia-smi` (NVML), for variants run on the CUDA execution
 * provider. Untested on the development machine (no GPU); the parsing and the integral
 * are pure functions with unit tests.
 */

/** Power readings (watts) from `nvidia-smi --query-gpu=power.draw --format=csv,noheader,nounits`; `[N/A]` lines are skipped. */
export function parsePowerDrawW(text: string): number[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map(Number)
    .filter((w) => Number.isFinite(w));
}

/** Energy of a span from evenly spaced power samples: mean power × duration (a rectangle rule). */
export function joulesFromPowerSamples(samplesW: readonly number[], seconds: number): number | undefined {
  if (samplesW.length === 0) return undefined;
  let sum = 0;
  for (const w of samplesW) sum += w;
  return (sum / samplesW.length) * seconds;
}

/** A running `nvidia-smi` power sampler (every `intervalMs`) for GPU `gpuIndex`. */
export class NvmlPowerSampler {
  private text = '';
  private failed: string | undefined;
  private readonly child: ChildProcess;
  private readonly startNs = process.hrtime.bigint();

  constructor(gpuIndex = 0, intervalMs = 100) {
    this.child = spawn('nvidia-smi', ['-i', String(gpuIndex), '--query-gpu=power.draw', '--format=csv,noheader,nounits', `-lms`, String(intervalMs)], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.text += chunk));
    this.child.on('error', (e) => (this.failed = e.message));
  }

  /** Stops sampling; joules over the span, or an error string when nvidia-smi gave nothing. */
  async stop(): Promise<{ joules: number } | { error: string }> {
    const seconds = Number(process.hrtime.bigint() - this.startNs) / 1e9;
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.failed) return resolve();
      this.child.once('close', () => resolve());
      this.child.kill('SIGTERM');
    });
    const joules = joulesFromPowerSamples(parsePowerDrawW(this.text), seconds);
    if (joules === undefined) return { error: `nvidia-smi gave no power.draw samples${this.failed ? ` (${this.failed})` : ''}` };
    return { joules };
  }
}
