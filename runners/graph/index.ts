export { buildDecoderGraph, type GraphLabels } from './decoder-graph.js';
export { defaultInvFreq, type DecoderSpec, type RopeFrequencies, type WeightSource } from './decoder-spec.js';
export { GraphBuilder, valueInfo, type AttributeValue, type WeightSink } from './graph-builder.js';
export { addLogitPositions, logitPositionsBlocker, LOGITS_POSITIONS } from './logit-positions.js';
