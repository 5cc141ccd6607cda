/** Compression kernels: pure functions on Float32Array (see types.ts for conventions). */
export type { Calibration, ErrorStats, Granularity, Matrix, PrunedMatrix, QuantizedMatrix, WeightErrorStats } from './types.js';
export { outputErrorRatio, weightErrorStats } from './error-stats.js';
export { columnAbsStats, columnNorms, matmul, relativeSquaredError } from './matmul.js';
export {
  dequantizeCode, describeGrid, gridFromRange, gridKind, maxCode, minCode, quantizeToCode, roundHalfEven,
  type Grid, type GridDescription, type GridKind, type SymGrid,
} from './quant-grid.js';
export { groupCount } from './shapes.js';
export { groupGrids, setGroupGrids } from './group-grids.js';
export { checkBits, dequantizeMatrix, quantizeGroups, quantizeRtn, type RtnOptions, type RtnResult } from './rtn.js';
export { dequantizeNf4, nearestNf4, NF4_CODEBOOK, quantizeNf4, type Nf4Options, type Nf4Result } from './nf4.js';
export { doubleQuantizeAbsmax, DYNAMIC_MAP_8BIT, type DoubleQuantizedAbsmax } from './nf4-double-quant.js';
export { choleskyLowerInPlace, invertLower, upperCholeskyOfInverse } from './cholesky.js';
export { layerHessian } from './hessian.js';
export { checkGptqInputs, finishGptq, prepareGptq, quantizeGptq, type GptqOptions, type GptqPrepared, type GptqResult } from './gptq.js';
export { gptqSweep, startSweep, sweepBlock, type SweepInput, type SweepOutput, type SweepState } from './gptq-sweep.js';
export {
  awqScales, candidateWeight, finishAwq, prepareAwqSearch, quantizeAwq, scaleRows, type AwqOptions, type AwqResult, type AwqSearch,
} from './awq.js';
export { dequantizeLinear, dynamicQuantizeLinear, type DynamicQuantized } from './dynamic-quantize.js';
export { quantizeWeightInt8, smoothingFactors, smoothQuant, type SmoothQuantOptions, type SmoothQuantResult } from './smoothquant.js';
export { ascendingOrder, checkSparsity, pruneResult, type PruneResult } from './prune-common.js';
export { pruneMagnitude } from './magnitude.js';
export { pruneWanda, wandaScores } from './wanda.js';
export { pruneNm } from './nm.js';
export {
  attentionGroupImportance, ffnChannelImportance, keepMostImportant, pruneAttentionHeads, pruneFfnChannels,
  type AttentionNorms, type FfnNorms, type FfnPruneResult, type HeadPruneResult,
} from './structured.js';
export {
  headFeatures, keepColumns, keepRows, queryHeadsOf, shrinkAttention, shrinkFfn,
  type AttentionWeights, type FfnWeights,
} from './structured-shrink.js';
export { dequantizeMatMulNBits, packMatMulNBits, packZeroPoints, unpackMatMulNBits, type MatMulNBitsTensors } from './pack-nbits.js';
export { matMulIntegerReference, matMulIntegerWeights, type MatMulIntegerWeights } from './pack-integer.js';
export { METHOD_IDS, METHODS, type MethodId, type MethodInfo, type ParamSpec, type ParamValue } from './registry.js';
export { assertMethodId, calibrationNeeded, validateParams, type ResolvedParams, type ValidationContext } from './validate-params.js';
export {
  ggmlQuantizeCopy, GGML_BLOCK, kiviKeysTokens, kiviQuantizeCopy, kiviQuantizedCounts, kiviValuesTokens, minMax2BitInPlace, q4_0Block, q8_0Block,
  quantizeGgmlTokens, roundToFp16, type GgmlKvType, type KiviParams, type KvShape,
} from './kv-quant.js';
export { KIVI_DEFAULTS, kvBytesPerElement, kvBytesPerToken, type KiviLayout, type KvBytes, type KvForm, type KvGeometry } from './kv-bytes.js';
export { LLM_INT8_THRESHOLD, llmInt8Matmul, outlierFeatures, quantizeLlmInt8, type LlmInt8Result } from './llm-int8.js';
export { allocateGlobally, channelFluctuation, compensationBias, pruneFlapLayer, standardize, type ChannelStats, type FlapLayerResult } from './flap.js';
export { meanSquares, obdSaliency, pruneFairPrune, type FairPruneResult } from './fairprune.js';
