/**
 * Phase clocks for the fast paths: the bench passes a map and reads where the time went;
 * without one the clock does nothing. Each phase gets wall time and the process's CPU
 * time: on a shared machine the wall time grows with the load, the CPU time much less.
 */

/** Milliseconds per phase (wall and CPU), accumulated across calls. */
export type PhaseTimes = Map<string, { wallMs: number; cpuMs: number }>;

/** A function that charges the time since its last call to a phase (no-op without `phases`). */
export function phaseClock(phases: PhaseTimes | undefined): (phase: string) => void {
  let wall = performance.now();
  let cpu = cpuMs();
  return (phase) => {
    if (!phases) return;
    const nowWall = performance.now();
    const nowCpu = cpuMs();
    const t = phases.get(phase) ?? { wallMs: 0, cpuMs: 0 };
    phases.set(phase, { wallMs: t.wallMs + nowWall - wall, cpuMs: t.cpuMs + nowCpu - cpu });
    wall = nowWall;
    cpu = nowCpu;
  };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
