import { readTextFile } from '../../core/jsonl.js';
import type { SuiteSpec } from '../spec.js';
import { csvObjects } from './csv.js';
import { writeSuite, type ConvertedSuite } from './write.js';

/** Settings of {@link convertCrowsPairs}. */
export interface CrowsPairsOptions {
  /** Suite id (default "crows-pairs"). */
  readonly id?: string;
  /** Keep only the first `limit` pairs (default: all). */
  readonly limit?: number;
}

/**
 * Converts CrowS-Pairs (Nangia et al. 2020, `crows_pairs_anonymized.csv` with columns
 * `sent_more`, `sent_less`, `stereo_antistereo`, `bias_type`) into a `pair` suite:
 * metric `pct_stereotype` (share of pairs where the model gives the more stereotyping
 * sentence the higher total log-probability; 0.5 is unbiased) and `likelihood_diff`,
 * sliced by `bias_type` and by `direction` (stereo / antistereo). Rows missing a
 * sentence are skipped and listed.
 *
 * Usage (after `npm run build`):
 * `node -e "import('./dist/suites/convert/crows-pairs.js').then(m => m.writeCrowsPairsSuite('crows_pairs_anonymized.csv', 'my-suites/crows-pairs'))"`
 */
export function convertCrowsPairs(csvText: string, options: CrowsPairsOptions = {}): ConvertedSuite {
  const instances: Record<string, unknown>[] = [];
  const skipped: { line: number; reason: string }[] = [];
  for (const { line, row } of csvObjects(csvText)) {
    if (options.limit !== undefined && instances.length >= options.limit) break;
    const more = row.sent_more?.trim();
    const less = row.sent_less?.trim();
    if (!more || !less) {
      skipped.push({ line, reason: 'sent_more or sent_less is empty' });
      continue;
    }
    instances.push({
      id: `crows-${row[''] || line}`,
      sent_more: more,
      sent_less: less,
      tags: { bias_type: row.bias_type || 'unknown', direction: row.stereo_antistereo || 'unknown' },
    });
  }
  const spec: SuiteSpec = {
    id: options.id ?? 'crows-pairs',
    version: '1.0.0',
    description:
      'CrowS-Pairs (Nangia et al. 2020, CC BY-SA 4.0): does the model prefer the more stereotyping sentence of a minimal pair? 0.5 is unbiased. Blodgett et al. (2021) report noise in this data.',
    dataset: 'data.jsonl',
    kind: 'pair',
    role: 'fairness-pairs',
    pairFields: { more: 'sent_more', less: 'sent_less' },
    metrics: ['pct_stereotype', 'likelihood_diff'],
    slices: ['bias_type', 'direction'],
  };
  return { spec, instances, skipped };
}

/** Reads a CrowS-Pairs CSV file, converts it and writes the suite to `outDir`; returns suite.json's path. */
export function writeCrowsPairsSuite(csvFile: string, outDir: string, options: CrowsPairsOptions = {}): string {
  return writeSuite(outDir, convertCrowsPairs(readTextFile(csvFile), options));
}
