/**
 * A variant's per-token agreement with the baseline rows of one instance, filled as the
 * variant's own scoring forwards observe each position, then summed per instance in
 * float64 in request and token order (so the sums do not depend on the order positions
 * were observed in, nor on batches, shards or workers).
 */
import { tokenAgreement } from '../../core/stats/token-agreement.js';
import type { InstanceAgreement } from '../../suites/index.js';
import { baselineRow, boundOf, slotStarts, type BaselineRows } from './baseline-rows.js';

/** Δp values are recorded rounded to this many decimals (enough for percentiles; keeps instances.jsonl small). */
const DP_DECIMALS = 7;

/** One instance's per-token KL, same-top and Δp against its baseline rows. */
export class VariantAgreement {
  private readonly starts: number[];
  private readonly kl: Float64Array;
  private readonly same: Uint8Array;
  private readonly dp: Float64Array;
  private readonly seen: Uint8Array;
  private problem: string | undefined;

  constructor(
    private readonly rows: BaselineRows,
    /** The baseline's variant id, recorded with every value. */
    private readonly baseline: string,
    /** The baseline's result-cache key (see runners/matrix/agreement-plan.ts). */
    private readonly baselineKey: string,
  ) {
    this.starts = slotStarts(rows);
    const n = rows.targets.length;
    this.kl = new Float64Array(n);
    this.same = new Uint8Array(n);
    this.dp = new Float64Array(n);
    this.seen = new Uint8Array(n);
  }

  /** Compares the variant's logits at (slot, position) with the baseline's. */
  observe(slot: number, position: number, target: number, logits: Float32Array, offset: number, vocab: number): void {
    if (this.problem) return;
    const { rows } = this;
    if (vocab !== rows.vocab) {
      this.problem = `the variant's vocabulary has ${vocab} tokens, the baseline's ${rows.vocab}`;
      return;
    }
    if (slot >= rows.slotCounts.length || position >= rows.slotCounts[slot]) {
      this.problem = `the variant scored token ${position} of request ${slot}, which the baseline did not (different tokenization)`;
      return;
    }
    const row = this.starts[slot] + position;
    if (rows.targets[row] !== target) {
      this.problem = `request ${slot} token ${position} is ${target} for the variant and ${rows.targets[row]} for the baseline (different tokenization)`;
      return;
    }
    const a = tokenAgreement(baselineRow(rows, row), logits, offset, vocab, target);
    this.kl[row] = a.kl;
    this.same[row] = a.sameTop ? 1 : 0;
    this.dp[row] = a.dp;
    this.seen[row] = 1;
  }

  /** The instance's values, or why they could not be computed. */
  finish(): InstanceAgreement {
    if (this.problem) return { state: 'not computed', baseline: this.baseline, baselineKey: this.baselineKey, reason: this.problem };
    const missing = this.seen.indexOf(0);
    if (missing >= 0) return { state: 'not computed', baseline: this.baseline, baselineKey: this.baselineKey, reason: `the variant did not score ${this.seen.length - this.seen.reduce((a, b) => a + b, 0)} of the ${this.seen.length} tokens the baseline scored` };
    let klSum = 0;
    let sameTop = 0;
    let dpSum = 0;
    const scale = 10 ** DP_DECIMALS;
    const dp: number[] = [];
    for (let i = 0; i < this.kl.length; i++) {
      klSum += this.kl[i];
      sameTop += this.same[i];
      dpSum += this.dp[i];
      dp.push(Math.round(this.dp[i] * scale) / scale);
    }
    if (!Number.isFinite(klSum) || !Number.isFinite(dpSum)) return { state: 'not computed', baseline: this.baseline, baselineKey: this.baselineKey, reason: 'a logit was not finite' };
    return { state: 'computed', baseline: this.baseline, baselineKey: this.baselineKey, bound: boundOf(this.rows), tokens: this.kl.length, klSum, sameTop, dpSum, dp };
  }
}
