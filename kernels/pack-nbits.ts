/**
 * Packing quantized codes into com.microsoft MatMulNBits inputs, and back.
 *
 * Layout (onnxruntime docs/ContribOperators.md, com.microsoft.MatMulNBits; the ONNX
 * reference `matmulnbits_unpack_b` / `matmulnbits_unpack_zero_points` agree):
 * - attributes K, N, bits (2–8), block_size (power of 2, ≥ 16), accuracy_level;
 * - B: uint8 [N][n_blocks_per_col][blob_size], n_blocks_per_col = ceil(K/block_size),
 *   blob_size = block_size·bits/8; each block's codes (along K) form a little-endian bit
 *   stream: code i occupies bits i·bits … i·bits + bits − 1, low bits first (for 4 bits the
 *   first code is the low nibble);
 * - scales: float [N · n_blocks_per_col] (shape [N, n_blocks_per_col]);
 * - zero_points (optional): uint8 [N · ceil(n_blocks_per_col·bits/8)], each column's zero
 *   points packed the same way; when absent the zero point is 2^(bits−1);
 * - dequantized weight = (code − zero_point)·scale; Y = A @ dequant(B)ᵀ in [N, K] terms,
 *   i.e. y = x @ W for our W (K,N).
 * When block_size does not divide K the last block holds K mod block_size real codes and
 * is padded with its zero point (which dequantizes to exactly 0); its scale is the one
 * fitted to the real rows of the (partial) last group.
 */
import { InputError } from '../core/errors.js';
import { dequantizeCode } from './quant-grid.js';
import { groupCount } from './shapes.js';
import type { QuantizedMatrix } from './types.js';

/** The MatMulNBits initializers and attributes for one weight. */
export interface MatMulNBitsTensors {
  readonly K: number;
  readonly N: number;
  readonly bits: number;
  readonly blockSize: number;
  readonly nBlocksPerCol: number;
  readonly blobSize: number;
  /** uint8 [N][nBlocksPerCol][blobSize], flat. */
  readonly B: Uint8Array;
  /** float [N·nBlocksPerCol]. */
  readonly scales: Float32Array;
  /** uint8 [N·ceil(nBlocksPerCol·bits/8)]; absent when every zero point is 2^(bits−1). */
  readonly zeroPoints?: Uint8Array;
}

/**
 * Packs a quantized matrix (RTN/GPTQ/AWQ) into MatMulNBits tensors. `blockSize` defaults
 * to the group size; it must be a power of 2 ≥ 16 dividing the group size (or anything
 * when there is one group per column). Every block then lies inside one group, the last
 * (partial) group included, and the last block is padded with the zero point.
 * // codes (K,N), scales/zeros (N, ceil(K/groupSize)) -> B [N][ceil(K/bs)][bs·bits/8]
 */
export function packMatMulNBits(q: QuantizedMatrix, blockSize: number = q.groupSize): MatMulNBitsTensors {
  const { K, N, bits, groupSize } = q;
  if (!(bits >= 2 && bits <= 8)) throw new InputError(`MatMulNBits: bits must be 2–8, got ${bits}`);
  if (!Number.isInteger(Math.log2(blockSize)) || blockSize < 16) {
    throw new InputError(`MatMulNBits: block_size must be a power of 2 ≥ 16, got ${blockSize}; use a group of 16, 32, 64 or 128`);
  }
  if (q.groupIndex) throw new InputError('MatMulNBits: groups are not contiguous along K (GPTQ act-order); use staticGroups or the simulated form');
  const nGroups = groupCount(K, groupSize);
  if (nGroups > 1 && groupSize % blockSize !== 0) {
    throw new InputError(`MatMulNBits: block_size ${blockSize} does not divide the group size ${groupSize}`);
  }
  const nBlocks = Math.ceil(K / blockSize);
  const blobSize = (blockSize * bits) / 8;
  const B = new Uint8Array(N * nBlocks * blobSize);
  const scales = new Float32Array(N * nBlocks);
  const zerosUnpacked = new Uint8Array(N * nBlocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      const g = Math.min(nGroups - 1, Math.floor((b * blockSize) / groupSize));
      const zero = q.zeros[n * nGroups + g];
      scales[n * nBlocks + b] = q.scales[n * nGroups + g];
      zerosUnpacked[n * nBlocks + b] = zero;
      const blob = (n * nBlocks + b) * blobSize;
      for (let i = 0; i < blockSize; i++) {
        const k = b * blockSize + i;
        writeBits(B, blob, i * bits, bits, k < K ? q.codes[k * N + n] : zero);
      }
    }
  }
  const mid = 1 << (bits - 1);
  const needZeros = zerosUnpacked.some((z) => z !== mid);
  return { K, N, bits, blockSize, nBlocksPerCol: nBlocks, blobSize, B, scales, ...(needZeros ? { zeroPoints: packZeroPoints(zerosUnpacked, N, nBlocks, bits) } : {}) };
}

/** Zero points [N][nBlocks] packed per column: [N][ceil(nBlocks·bits/8)]. */
export function packZeroPoints(zeros: Uint8Array, N: number, nBlocks: number, bits: number): Uint8Array {
  const rowBytes = Math.ceil((nBlocks * bits) / 8);
  const out = new Uint8Array(N * rowBytes);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) writeBits(out, n * rowBytes, b * bits, bits, zeros[n * nBlocks + b]);
  }
  return out;
}

/** Codes (K,N) and per-block zero points (N, nBlocks) read back from packed tensors. */
export function unpackMatMulNBits(t: MatMulNBitsTensors): { codes: Uint8Array; zeros: Uint8Array } {
  const { K, N, bits, blockSize, nBlocksPerCol: nBlocks, blobSize } = t;
  const codes = new Uint8Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      codes[k * N + n] = readBits(t.B, (n * nBlocks + b) * blobSize, (k % blockSize) * bits, bits);
    }
  }
  const zeros = new Uint8Array(N * nBlocks);
  const rowBytes = Math.ceil((nBlocks * bits) / 8);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nBlocks; b++) {
      zeros[n * nBlocks + b] = t.zeroPoints ? readBits(t.zeroPoints, n * rowBytes, b * bits, bits) : 1 << (bits - 1);
    }
  }
  return { codes, zeros };
}

/**
 * The weight MatMulNBits computes with: (code − zero_point)·scale.
 * // packed -> W (K,N)
 */
export function dequantizeMatMulNBits(t: MatMulNBitsTensors): Float32Array {
  const { codes, zeros } = unpackMatMulNBits(t);
  const out = new Float32Array(t.K * t.N);
  for (let k = 0; k < t.K; k++) {
    const b = Math.floor(k / t.blockSize);
    for (let n = 0; n < t.N; n++) {
      const i = n * t.nBlocksPerCol + b;
      out[k * t.N + n] = dequantizeCode(codes[k * t.N + n], t.scales[i], zeros[i]);
    }
  }
  return out;
}

/** Writes `bits` low bits of v at bit offset `bit` of the stream starting at byte `base`. */
function writeBits(buf: Uint8Array, base: number, bit: number, bits: number, v: number): void {
  const byte = base + (bit >> 3);
  const off = bit & 7;
  buf[byte] |= (v << off) & 0xff;
  if (off + bits > 8) buf[byte + 1] |= v >> (8 - off);
}

/** Reads `bits` bits at bit offset `bit` of the stream starting at byte `base`. */
function readBits(buf: Uint8Array, base: number, bit: number, bits: number): number {
  const byte = base + (bit >> 3);
  const off = bit & 7;
  let v = buf[byte] >> off;
  if (off + bits > 8) v |= buf[byte + 1] << (8 - off);
  return v & ((1 << bits) - 1);
}
