/**
 * A random-weight "MatMul stack, not a full model": the weight traffic of a Llama decoder
 * at a realistic width with none of the attention arithmetic, for batch-1 decode timing.
 * Per layer, x (B,h):
 *   a = x@Wq + x@Wk + x@Wv            // stands in for attention: 3 (h,h) reads
 *   r = x + a@Wo                      // (h,h)
 *   g = r@Wg, u = r@Wu                // (h,I) each
 *   x' = r + (g·sigmoid(g)·u)@Wd      // SwiGLU, (I,h)
 * Weights ~ N(0, 1/K) from a seeded generator, so a run is reproducible.
 */
import { createRng, randomNormalArray } from '../../core/rng.js';
import { InputError } from '../../core/errors.js';
import { OnnxDataType } from '../onnx/index.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../onnx/index.js';
import { floatTensor } from '../compress/model-graph.js';

/** Sizes of a {@link buildMatMulStack} graph. */
export interface MatMulStackShape {
  readonly hidden: number;
  readonly layers: number;
  readonly intermediate: number;
  readonly seed: number;
}

/** fp32 weight elements per layer: 4·h² + 3·h·I. */
export function stackWeightCount(s: MatMulStackShape): number {
  return s.layers * (4 * s.hidden * s.hidden + 3 * s.hidden * s.intermediate);
}

/** Checks the sizes; a bad one is an InputError naming the flag. */
export function checkStackShape(s: MatMulStackShape): void {
  for (const [flag, v, min, max] of [['--hidden', s.hidden, 32, 16384], ['--layers', s.layers, 1, 256], ['--intermediate', s.intermediate, 32, 65536]] as const) {
    if (!Number.isInteger(v) || v < min || v > max || v % 32 !== 0 && flag !== '--layers') {
      throw new InputError(`${flag} must be an integer in ${min}..${max}${flag === '--layers' ? '' : ' and a multiple of 32 (the quantization block)'}, got ${v}`);
    }
  }
  if (!Number.isInteger(s.seed)) throw new InputError(`--seed must be an integer, got ${s.seed}`);
  if (stackWeightCount(s) * 4 > 1.8e9) throw new InputError(`the stack would hold ${(stackWeightCount(s) * 4 / 1e9).toFixed(2)} GB of fp32 weights, over the 1.8 GB a single ONNX protobuf can carry; use fewer --layers or a smaller --hidden/--intermediate`);
}

function floatValueInfo(name: string, width: number): Record<string, unknown> {
  return { name, type: { tensor_type: { elem_type: OnnxDataType.FLOAT, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } } };
}

/** The stack as an ONNX model: input `x` (batch, hidden), output `y` (batch, hidden). */
export function buildMatMulStack(s: MatMulStackShape): OnnxModel {
  checkStackShape(s);
  const rng = createRng(s.seed);
  const { hidden: h, intermediate: I } = s;
  const nodes: OnnxNode[] = [];
  const initializer: OnnxTensor[] = [];
  const weight = (name: string, K: number, N: number): string => {
    initializer.push(floatTensor(name, [K, N], randomNormalArray(rng, K * N, 1 / Math.sqrt(K))));
    return name;
  };
  const op = (op_type: string, input: string[], output: string): string => {
    nodes.push({ name: output, op_type, input, output: [output] });
    return output;
  };
  let x = 'x';
  for (let l = 0; l < s.layers; l++) {
    const p = `layers.${l}`;
    const q = op('MatMul', [x, weight(`${p}.q_proj.weight`, h, h)], `${p}/q`);
    const k = op('MatMul', [x, weight(`${p}.k_proj.weight`, h, h)], `${p}/k`);
    const v = op('MatMul', [x, weight(`${p}.v_proj.weight`, h, h)], `${p}/v`);
    const a = op('Add', [op('Add', [q, k], `${p}/qk`), v], `${p}/qkv`);
    const r = op('Add', [x, op('MatMul', [a, weight(`${p}.o_proj.weight`, h, h)], `${p}/o`)], `${p}/attn_residual`);
    const g = op('MatMul', [r, weight(`${p}.gate_proj.weight`, h, I)], `${p}/gate`);
    const u = op('MatMul', [r, weight(`${p}.up_proj.weight`, h, I)], `${p}/up`);
    const m = op('Mul', [op('Mul', [g, op('Sigmoid', [g], `${p}/sigmoid`)], `${p}/silu`), u], `${p}/swiglu`);
    x = op('Add', [r, op('MatMul', [m, weight(`${p}.down_proj.weight`, I, h)], `${p}/down`)], l === s.layers - 1 ? 'y' : `${p}/out`);
  }
  return {
    ir_version: 8,
    producer_name: 'compbench synth',
    opset_import: [{ domain: '', version: 17 }],
    graph: { name: 'matmul_stack', node: nodes, initializer, input: [floatValueInfo('x', h)], output: [floatValueInfo('y', h)] },
  };
}
