export { buildMatMulStack, checkStackShape, stackWeightCount, type MatMulStackShape } from './matmul-stack.js';
export { convertStack, formatLabel, NBITS_BLOCK, weightBytes, withAccuracyLevel, writeStackFolder, type StackFormat } from './stack-variants.js';
