/** Fixtures of the measurement tests. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../fixtures.js';

/** A fake powercap tree: two packages (1000 and 5000 µJ) with a core sub-domain each. */
export function fakePowercap(): string {
  const root = tempDir('powercap');
  for (const [name, uj] of [['intel-rapl:0', 1000], ['intel-rapl:0:0', 400], ['intel-rapl:1', 5000], ['intel-rapl:1:0', 50]] as const) {
    mkdirSync(join(root, name));
    setEnergyUj(root, name, uj);
    writeFileSync(join(root, name, 'max_energy_range_uj'), '262143328850\n');
  }
  return root;
}

/** Overwrites one fake counter. */
export function setEnergyUj(root: string, domain: string, uj: number): void {
  writeFileSync(join(root, domain, 'energy_uj'), `${uj}\n`);
}
