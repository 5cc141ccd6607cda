export { ONNX_PROTO_TEXT, OnnxDataType, onnxRoot, onnxType } from './onnx-proto.js';
export type { Int64, LongLike, OnnxAttribute, OnnxEntry, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from './onnx-types.js';
export { decodeModel, encodeModel, findInitializer, listInitializers, readModelFile, type InitializerInfo } from './read-model.js';
export { checkExternalDataInside, externalDataOf, externalDataRefs, forEachTensor, resolveExternalPath, type ExternalDataRef } from './external-data.js';
export { initializerFloat32, readExternalBytes, tensorToFloat32 } from './initializer-data.js';
export { bytesToFloat32, halfToFloat, int64ToNumber, tensorDataType, tensorElementCount, tensorStorage, type TensorStorage } from './tensor-data.js';
