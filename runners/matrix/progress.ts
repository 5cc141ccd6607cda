/**
 * Progress of a run: a bar with ETA redrawn in place on a TTY, plain lines otherwise
 * (at most every 10 s, and whenever a cell finishes).
 */

/** Counts the progress line is made of. */
export interface ProgressCounts {
  readonly cellsDone: number;
  readonly cellsTotal: number;
  readonly instancesDone: number;
  readonly instancesTotal: number;
  readonly fromCache: number;
}

/** `[ 12/40 cells] 1234/5000 instances, 3 from cache, ETA 2m10s` (ETA from computed instances only). */
export function progressLine(c: ProgressCounts, elapsedMs: number): string {
  const width = String(c.cellsTotal).length;
  const computed = c.instancesDone - c.fromCache;
  const left = c.instancesTotal - c.instancesDone;
  const eta = computed > 0 && left > 0 ? `, ETA ${formatDuration((elapsedMs / computed) * left)}` : '';
  return `[${String(c.cellsDone).padStart(width)}/${c.cellsTotal} cells] ${c.instancesDone}/${c.instancesTotal} instances, ${c.fromCache} from cache${eta}`;
}

/** `2m10s`, `45s`, `1h03m`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Reports progress to a TTY (in place) or as plain lines through `log`. */
export class ProgressReporter {
  private counts: ProgressCounts;
  private readonly start = performance.now();
  private lastLineMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    total: { cells: number; instances: number; fromCache: number; cellsDone: number },
    private readonly log: (line: string) => void,
    private readonly tty: boolean = process.stderr.isTTY === true,
    private readonly everyMs = 10_000,
  ) {
    this.counts = { cellsDone: total.cellsDone, cellsTotal: total.cells, instancesDone: total.fromCache, instancesTotal: total.instances, fromCache: total.fromCache };
  }

  /** Also reports on a timer (every `everyMs`, or each second on a TTY), for long shards. */
  startTimer(): void {
    this.timer ??= setInterval(() => this.report(), this.tty ? 1000 : this.everyMs);
    this.timer.unref();
  }

  /** Adds finished instances (and a finished cell) and reports. */
  add(instances: number, cellFinished: boolean): void {
    this.counts = { ...this.counts, instancesDone: this.counts.instancesDone + instances, cellsDone: this.counts.cellsDone + (cellFinished ? 1 : 0) };
    this.report(cellFinished);
  }

  /** Prints the current state (always on a TTY; as a line when due or forced). */
  report(force = false): void {
    const line = progressLine(this.counts, performance.now() - this.start);
    if (this.tty) {
      const done = this.counts.instancesTotal === 0 ? 1 : this.counts.instancesDone / this.counts.instancesTotal;
      const bar = '#'.repeat(Math.round(done * 20)).padEnd(20, '.');
      process.stderr.write(`\r${bar} ${line}\u001b[K`);
      return;
    }
    const now = performance.now();
    if (!force && now - this.lastLineMs < this.everyMs) return;
    this.lastLineMs = now;
    this.log(line);
  }

  /** Ends the in-place line on a TTY. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) process.stderr.write('\n');
  }
}
