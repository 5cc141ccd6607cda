import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport, type RenderResult } from '../../reports/render.js';
import { writeFixtureRun } from './fixtures.js';
import { writeLargeFixtureRun } from './large-fixture.js';
import type { RunRecord } from '../../core/run-record.js';

/**
 * A fresh temp root with a fixture run in `<root>/runs/run1`, rendered into `<root>/runs/run1/report`
 * (`large`: the 32-variant × 10-suite fixture of test/reports/large-fixture.ts).
 */
export async function renderFixture(options: { pngs?: boolean; large?: boolean } = {}): Promise<{ root: string; runDir: string; record: RunRecord; result: RenderResult }> {
  const root = mkdtempSync(join(tmpdir(), 'compbench-report-'));
  const runDir = join(root, 'runs', 'run1');
  const record = options.large ? writeLargeFixtureRun(runDir) : writeFixtureRun(runDir);
  const result = await renderReport(runDir, { pngs: options.pngs ?? false, now: () => new Date('2026-02-03T04:05:06.000Z') });
  return { root, runDir, record, result };
}
