/** The Markdown section of the scoring cases (scoring-cases.ts). */
import type { ScoringCases } from './scoring-cases.js';

const f = (x: number, digits = 2): string => x.toFixed(digits);

/** One table per case, its ratios, and where the time goes when a target is missed. */
export function scoringCasesSection(s: ScoringCases): string[] {
  const load = (xs: readonly number[]): string => xs.map((x) => f(x)).join('/');
  const lines = [
    '## Scoring cases (issue 15)', '',
    `One intra-op thread; each scorer runs every request of the case ${s.rounds} times, alternately with the others, and its median round counts. compbench = openModel → loglikelihood (the matrix's entry point); transformers.js = one forward over context+choice per request; raw onnxruntime = one session.run per context+choice with no harness. ` +
      `Tokens fed = input_ids elements of every session.run (padding included). FLOP floor: each distinct token prefix of the requests computed once (layers and attention), the LM head only at scored positions, at the measured float32 GEMM peak of ${f(s.gemmPeakGflopPerS, 1)} GFLOP/s; "× floor" = wall time over that. ` +
      `Harness = compbench's time inside session.run() over its wall time: a raw loop making the same calls needs at least that run() time (target ≥ ${100 * s.harnessTarget}%). Measured ${s.startedAt}${s.quick ? ' with --quick' : ''}; load average (1/5/15 min) ${load(s.loadAverage.start)} at the start, ${load(s.loadAverage.end)} at the end: well above 1 on this machine means other processes competed for the cores, and every figure is slower than on an idle machine.`,
    '',
  ];
  for (const c of s.cases) {
    lines.push(
      `### ${c.name}`, '',
      `${c.model}; ${c.requestSet} (${c.requests} requests). Floor: ${c.floor.tokens} tokens (${c.floor.scoredTokens} scored), ${f(c.floor.flops / 1e9, 3)} GFLOP, ${f(1000 * c.floor.seconds, 1)} ms. ` +
        `compbench / transformers.js: **${f(c.vsTransformers)}×**${c.target !== undefined ? ` (target ≥ ${c.target}×)` : ''}; compbench / raw naive loop: ${f(c.vsRawNaive)}×; harness: **${f(100 * c.harnessOfRaw, 0)}%** of a raw loop doing the same calls${c.warm ? ` (${f(100 * c.warm.harnessOfRaw, 0)}% with the requests already tokenized)` : ''}.`,
      '',
      '| scorer | requests/s | wall s | run() s | run() calls | JS s | tokens fed | × floor | max abs logprob diff vs compbench |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...c.scorers.map((x) => `| ${x.name} | ${f(x.requestsPerS, 1)} | ${f(x.wallS)} | ${f(x.ortRunS)} | ${x.ortCalls} | ${f(x.jsS)} | ${x.tokensFed} | ${f(x.timesFloor, 1)} | ${x.maxAbsLogprobDiff.toExponential(1)} |`),
      '',
      ...c.notes.map((n) => `- ${n}`),
      ...(c.notes.length > 0 ? [''] : []),
    );
  }
  return lines;
}
