/**
 * One GGUF tensor -> what the ONNX graph holds: float32 values in the graph builder's
 * layout (WeightSource: a Linear as (K,N), the embedding (V,h), norms (h,)) and, for Q4_0
 * and Q8_0 matrices, the same blocks as MatMulNBits tensors, exactly:
 *   Q4_0 {d, 32 × 4-bit q}: B nibbles = q (element i at bits 4i…4i+3), scale = fp32(d),
 *        zero point 8 (MatMulNBits' default for 4 bits): W = (q − 8)·d, ggml's formula.
 *   Q8_0 {d, 32 × int8 q}: B bytes = q + 128, scale = fp32(d), zero point 128 (default):
 *        W = (q + 128 − 128)·d = q·d.
 * Other quantized types have no MatMulNBits form with the same values: Q4_1/Q5_1 add a
 * float minimum m (y = q·d + m), and a float zero point −m/d would round, so (q − zp)·d ≠
 * q·d + m in float32; Q5_0 is 5 bits; K-quants nest 6/8-bit sub-scales and mins in 256-
 * element super-blocks. They are dequantized to float32, exactly as ggml does.
 * Q and K rows go back from llama.cpp's interleaved RoPE order to Hugging Face's.
 */
import type { MatMulNBitsTensors } from '../../kernels/index.js';
import { dequantizeTensor, f16ToF32, type GgufTensorInfo } from '../formats/gguf/index.js';
import { permuteRows, ropeRowTarget } from './llama-tensor-names.js';

/** How a tensor reached the graph. */
export type WeightForm = 'MatMulNBits' | 'float32';

/** A converted tensor. */
export interface GraphWeight {
  /** Builder layout (see file comment). */
  readonly values: Float32Array;
  /** Set for Q4_0/Q8_0 matrices that become MatMulNBits. */
  readonly packed?: MatMulNBitsTensors;
  readonly form: WeightForm;
}

/** float32 (rows, cols) -> (cols, rows). */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
}

/**
 * Q4_0/Q8_0 rows (N rows of K/32 blocks) -> MatMulNBits tensors.
 * // blocks (N, K/32, typeSize) -> B [N][K/32][blob], scales [N·K/32]
 */
export function packedFromBlocks(typeName: 'Q4_0' | 'Q8_0', raw: Uint8Array, K: number, N: number): MatMulNBitsTensors {
  const bits = typeName === 'Q4_0' ? 4 : 8;
  const typeSize = typeName === 'Q4_0' ? 18 : 34;
  const nBlocks = K / 32, blobSize = (32 * bits) / 8;
  const B = new Uint8Array(N * nBlocks * blobSize);
  const scales = new Float32Array(N * nBlocks);
  for (let blk = 0; blk < N * nBlocks; blk++) {
    const at = blk * typeSize, out = blk * blobSize;
    scales[blk] = f16ToF32(raw[at] | (raw[at + 1] << 8));
    if (bits === 8) {
      for (let i = 0; i < 32; i++) B[out + i] = (raw[at + 2 + i] + 128) & 0xff; // int8 q -> q + 128
    } else {
      // ggml: element j in the low nibble of qs[j], element j+16 in its high nibble
      for (let i = 0; i < 32; i++) {
        const q = i < 16 ? raw[at + 2 + i] & 0xf : raw[at + 2 + i - 16] >> 4;
        B[out + (i >> 1)] |= q << (4 * (i & 1));
      }
    }
  }
  return { K, N, bits, blockSize: 32, nBlocksPerCol: nBlocks, blobSize, B, scales };
}

/**
 * Converts `info` (raw bytes `raw`) for the graph. `rope` = head size when the tensor is
 * attn_q/attn_k (rows to un-permute); `matrix` says it is a Linear (transposed to (K,N)).
 */
export function graphWeight(info: GgufTensorInfo, raw: Uint8Array, file: string, opts: { matrix: boolean; ropeHeadDim?: number }): GraphWeight {
  const K = info.dims[0], N = info.dims[1] ?? 1;
  const rowBytes = raw.length / N;
  const rows = opts.ropeHeadDim ? permuteRows(raw, rowBytes, (h) => ropeRowTarget(h, opts.ropeHeadDim!)) : raw;
  const natural = dequantizeTensor(info.type, rows, file, info.name); // (N,K)
  const values = opts.matrix ? transpose(natural, N, K) : natural;
  if (opts.matrix && (info.type.name === 'Q4_0' || info.type.name === 'Q8_0')) {
    return { values, packed: packedFromBlocks(info.type.name, rows, K, N), form: 'MatMulNBits' };
  }
  return { values, form: 'float32' };
}
