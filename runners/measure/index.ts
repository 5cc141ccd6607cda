export {
  measureVariant,
  measureVariantWithDiagnostics,
  SIMULATED_REASON,
  type MeasureInput,
  type MeasureInternals,
  type MeasuredVariant,
} from './measure-variant.js';
export { DEFAULT_MEASURE_SETTINGS, resolveMeasureSettings, type MeasureSettings, type ResolvedMeasureSettings } from './settings.js';
export { percentiles, timingStats, type LatencyPercentiles } from './timing-stats.js';
export { estimatedJoules, estimateFormula, startEnergySpan, type EnergyOptions, type EnergySpan } from './energy.js';
export { findRaplDomains, raplDeltaUj, readRaplUj, POWERCAP_ROOT, type RaplDomain } from './rapl.js';
export { joulesFromPowerSamples, NvmlPowerSampler, parsePowerDrawW } from './nvml.js';
export { parseVmHwmBytes, readPeakRssBytes, resetPeakRss, type PeakRssReset } from './peak-rss.js';
export { BENCHMARK_PROMPT_TEXT, benchmarkDecoder, benchmarkPromptIds, type BenchmarkSizes, type BenchmarkTimings } from './decode-benchmark.js';
export { parseChildOutput, RESULT_MARKER, type ChildReply, type ChildRequest, type MeasurementDiagnostics } from './child-protocol.js';
