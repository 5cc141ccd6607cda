/**
 * onnxruntime as a GEMM engine: tiny one-node graphs (MatMul, Gemm with a transposed first
 * operand) built in memory once per element type, with symbolic dimensions so one session
 * serves every shape. MLAS runs the float32 products; float64 goes through Eigen (slower,
 * used where the reference's float64 matters). `session.run()` returns a Promise but
 * occupies the calling thread while it runs: callers simply await it in sequence.
 */
import * as ort from 'onnxruntime-node';
import { InfraError, messageOf } from '../../../core/errors.js';
import { encodeModel, OnnxDataType, type OnnxModel } from '../../formats/onnx/index.js';

type Elem = 'float32' | 'float64';
type Product = 'matmul' | 'gramT';

/** A dense row-major product engine on onnxruntime sessions. */
export class GemmEngine {
  private readonly sessions = new Map<string, ort.InferenceSession>();

  private constructor(private readonly threads: number) {}

  /** An engine whose sessions use `threads` intra-op threads (1 keeps results independent of load). */
  static create(threads = 1): GemmEngine {
    return new GemmEngine(threads);
  }

  /**
   * C = A @ B in float32 (MLAS).
   * // A (M,K) @ B (K,N) -> C (M,N), row-major
   */
  async matmul(A: Float32Array, M: number, K: number, B: Float32Array, N: number): Promise<Float32Array> {
    const out = await this.run('matmul', 'float32', A, [M, K], B, [K, N]);
    return out as Float32Array;
  }

  /**
   * C = A @ B in float64 (Eigen).
   * // A (M,K) @ B (K,N) -> C (M,N), row-major
   */
  async matmul64(A: Float64Array, M: number, K: number, B: Float64Array, N: number): Promise<Float64Array> {
    const out = await this.run('matmul', 'float64', A, [M, K], B, [K, N]);
    return out as Float64Array;
  }

  /**
   * G = Aᵀ @ B in float32 (Gemm, transA = 1): with B = A this is the Gram matrix XᵀX.
   * // A (T,K), B (T,N) -> G (K,N)
   */
  async gramT(A: Float32Array, T: number, K: number, B: Float32Array, N: number): Promise<Float32Array> {
    const out = await this.run('gramT', 'float32', A, [T, K], B, [T, N]);
    return out as Float32Array;
  }

  /** Releases every session. */
  async release(): Promise<void> {
    for (const s of this.sessions.values()) await s.release();
    this.sessions.clear();
  }

  private async run(product: Product, elem: Elem, A: Float32Array | Float64Array, aDims: number[], B: Float32Array | Float64Array, bDims: number[]): Promise<Float32Array | Float64Array> {
    const session = await this.session(product, elem);
    const out = await session.run({ A: new ort.Tensor(elem, A, aDims), B: new ort.Tensor(elem, B, bDims) });
    return (out.C as ort.Tensor).data as Float32Array | Float64Array;
  }

  private async session(product: Product, elem: Elem): Promise<ort.InferenceSession> {
    const key = `${product}:${elem}`;
    let s = this.sessions.get(key);
    if (!s) {
      try {
        s = await ort.InferenceSession.create(productModel(product, elem), {
          graphOptimizationLevel: 'disabled', intraOpNumThreads: this.threads, interOpNumThreads: 1,
        });
      } catch (e) {
        throw new InfraError(`GEMM engine: onnxruntime could not build the ${key} session: ${messageOf(e).slice(0, 300)}`);
      }
      this.sessions.set(key, s);
    }
    return s;
  }
}

/** The one-node graph of a product with symbolic dimensions. */
function productModel(product: Product, elem: Elem): Uint8Array {
  const elemType = elem === 'float32' ? OnnxDataType.FLOAT : OnnxDataType.DOUBLE;
  const type = (dims: string[]) => ({ tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => ({ dim_param: d })) } } });
  const node = product === 'matmul'
    ? { op_type: 'MatMul', input: ['A', 'B'], output: ['C'], name: 'mm' }
    : { op_type: 'Gemm', input: ['A', 'B'], output: ['C'], name: 'gram', attribute: [{ name: 'transA', type: 2, i: 1 }] };
  const [a, b, c] = product === 'matmul' ? [['M', 'K'], ['K', 'N'], ['M', 'N']] : [['T', 'K'], ['T', 'N'], ['K', 'N']];
  const model: OnnxModel = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 14 }],
    producer_name: 'compbench-gemm-engine',
    graph: {
      name: `${product}-${elem}`,
      node: [node],
      input: [{ name: 'A', type: type(a) }, { name: 'B', type: type(b) }],
      output: [{ name: 'C', type: type(c) }],
    },
  };
  return encodeModel(model);
}
