export { DTYPE_BYTES, FLOAT_DTYPES, float32ToBf16Bits, float32ToHalfBits, fromFloat32, isFloatDtype, toFloat32, type FloatDtype } from './dtype.js';
export { MAX_HEADER_BYTES, openSafetensors, type SafetensorsEntry, type SafetensorsFile } from './safetensors-file.js';
export { INDEX_FILE, isSafetensorsFolder, openCheckpoint, SINGLE_FILE, type Checkpoint } from './checkpoint.js';
export { writeSafetensors, type TensorToWrite } from './write-safetensors.js';
