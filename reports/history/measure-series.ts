import { MEASURE_FIGURES, type MeasureFigure } from '../compare/measure-figures.js';
import type { SqliteDatabase } from './sqlite.js';
import { classifyTrend, type TrendPoint, type TrendVerdict } from './trend.js';

/** The figures `compbench history` tracks; each is a column of the `measurements` table. */
export const HISTORY_FIGURES: readonly MeasureFigure[] = MEASURE_FIGURES.filter((f) => f.history);

/** The newest night's verdict on one measured figure of one variant, or on a lost measurement. */
export type MeasureVerdict =
  | {
      readonly kind: 'figure';
      readonly variantId: string;
      readonly figure: MeasureFigure;
      /** `VARIANT/measure/FIGURE`. */
      readonly key: string;
      /** The series (accepted nights, then the newest), for the sparkline. */
      readonly points: readonly TrendPoint[];
      readonly verdict: TrendVerdict;
    }
  | {
      /** The reference night measured the variant and the newest did not: never silent. */
      readonly kind: 'missing';
      readonly variantId: string;
      readonly key: string;
      /** The newest night's state for it: `errored`, `not-applicable` or `absent`. */
      readonly state: string;
    };

interface Row {
  readonly run_id: string;
  readonly variant_id: string;
  readonly state: string;
  readonly replayed: number;
  readonly within_run_json: string | null;
  readonly [column: string]: unknown;
}

/** Accepted nights looked back over for measured repeats. */
const LOOKBACK_NIGHTS = 50;

/**
 * Measurement verdicts of night `runId` against the accepted nights before it
 * (reports/history/trend.ts): only really measured figures set a band; the newest may be
 * replayed (it is compared, and marked). A variant the reference night measured that the
 * newest did not measure is `missing`.
 */
export function measurementVerdicts(db: SqliteDatabase, runId: string, referenceRunId: string | null, rule: { readonly k: number }): MeasureVerdict[] {
  const accepted = db
    .prepare(
      `SELECT r.run_id FROM runs r, runs n WHERE n.run_id = ? AND r.status = 'accepted' AND r.run_id <> n.run_id
       AND (r.created_at < n.created_at OR (r.created_at = n.created_at AND r.run_id < n.run_id))
       ORDER BY r.created_at DESC, r.run_id DESC LIMIT ?`,
    )
    .all(runId, LOOKBACK_NIGHTS) as { run_id: string }[];
  const order = [...accepted.reverse().map((r) => r.run_id), runId];
  const rows = db.prepare(`SELECT * FROM measurements WHERE run_id IN (${order.map(() => '?').join(', ')})`).all(...order) as Row[];
  const byNight = new Map(order.map((id) => [id, new Map<string, Row>()]));
  for (const r of rows) byNight.get(r.run_id)?.set(r.variant_id, r);
  const newest = byNight.get(runId) as Map<string, Row>;
  const reference = referenceRunId === null ? undefined : byNight.get(referenceRunId);
  const variants = [...new Set([...(reference?.values() ?? []), ...newest.values()].filter((r) => r.state === 'measured').map((r) => r.variant_id))];
  return variants.flatMap((variantId): MeasureVerdict[] => {
    const now = newest.get(variantId);
    if (now?.state !== 'measured') {
      return [{ kind: 'missing', variantId, key: `${variantId}/measure`, state: now?.state ?? 'absent' }];
    }
    const nights = order.map((id) => byNight.get(id)?.get(variantId)).filter((r): r is Row => r?.state === 'measured');
    return HISTORY_FIGURES.map((figure) => {
      const points = nights.map((r) => pointOf(r, figure.id));
      return {
        kind: 'figure',
        variantId,
        figure,
        key: `${variantId}/measure/${figure.id}`,
        points,
        verdict: classifyTrend(points, { k: rule.k, higherIsBetter: figure.higherIsBetter }),
      };
    });
  });
}

function pointOf(r: Row, column: string): TrendPoint {
  const value = r[column];
  const withinRun = r.within_run_json === null ? {} : (JSON.parse(r.within_run_json) as Record<string, number | null>);
  return { value: typeof value === 'number' ? value : null, replayed: r.replayed === 1, withinRunHalfWidth: withinRun[column] ?? null };
}
