import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonl } from '../../core/jsonl.js';
import type { SuiteSpec } from '../spec.js';

/** A converted suite, before it is written: its suite.json and the dataset (and few-shot split) records. */
export interface ConvertedSuite {
  readonly spec: SuiteSpec;
  readonly instances: readonly Record<string, unknown>[];
  /** Records of the few-shot split, when the converter made one. */
  readonly fewShotPool?: readonly Record<string, unknown>[];
  /** Source records left out, with why (1-based source line). */
  readonly skipped: readonly { readonly line: number; readonly reason: string }[];
}

/** Writes suite.json, the dataset and the few-shot split (when present) into `outDir`; returns suite.json's path. */
export function writeSuite(outDir: string, suite: ConvertedSuite): string {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, suite.spec.dataset), toJsonl(suite.instances));
  if (suite.spec.fewShot && suite.fewShotPool) writeFileSync(join(outDir, suite.spec.fewShot.split), toJsonl(suite.fewShotPool));
  const file = join(outDir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite.spec, null, 2) + '\n');
  return file;
}
