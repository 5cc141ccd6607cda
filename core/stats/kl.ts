/**
 * Log-softmax of unnormalised log-scores: the log of the choice distribution a model
 * implies when its log-likelihoods of the options are renormalised over the options.
 */
export function logSoftmax(logScores: readonly number[]): number[] {
  const top = Math.max(...logScores);
  if (top === -Infinity) throw new RangeError('logSoftmax: every option has log-likelihood -Infinity');
  let sum = 0;
  for (const s of logScores) sum += Math.exp(s - top);
  const logZ = top + Math.log(sum);
  return logScores.map((s) => s - logZ);
}

/**
 * KL(P_baseline ‖ P_variant) in nats between the choice distributions implied by two
 * models' log-likelihoods of the same options (each softmax-normalised over the
 * options). Zero when the variant ranks and weighs the options as the baseline does,
 * even if both shifted all log-likelihoods by a constant.
 */
export function choiceKL(baselineLogliks: readonly number[], variantLogliks: readonly number[]): number {
  if (baselineLogliks.length !== variantLogliks.length || baselineLogliks.length === 0) {
    throw new RangeError(`choiceKL: option counts differ or are zero (${baselineLogliks.length} vs ${variantLogliks.length})`);
  }
  const logP = logSoftmax(baselineLogliks);
  const logQ = logSoftmax(variantLogliks);
  let kl = 0;
  for (let i = 0; i < logP.length; i++) {
    const p = Math.exp(logP[i]);
    if (p > 0) kl += p * (logP[i] - logQ[i]);
  }
  return Math.max(0, kl);
}

/** Mean over instances of {@link choiceKL}, in nats (NaN with no instances). */
export function meanChoiceKL(
  baseline: readonly (readonly number[])[],
  variant: readonly (readonly number[])[],
): number {
  if (baseline.length !== variant.length) {
    throw new RangeError(`meanChoiceKL: ${baseline.length} baseline instances vs ${variant.length} variant instances`);
  }
  let sum = 0;
  for (let i = 0; i < baseline.length; i++) sum += choiceKL(baseline[i], variant[i]);
  return sum / baseline.length;
}
