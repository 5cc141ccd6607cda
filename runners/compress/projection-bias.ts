/**
 * A projection's bias as exporters write it: `Add(MatMul(x, W), b)` with b a 1-D float32
 * initializer of the MatMul's N outputs (optimum / torch.onnx for Qwen2's q/k/v, Llama's
 * attention_bias and mlp_bias; the importer writes the same). Structured pruning shrinks
 * the bias with the weight's columns and looks for the head Reshape after the Add.
 */
import type { OnnxModel, OnnxNode } from '../formats/onnx/onnx-types.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import { consumers, dimsOf, floatTensor, initializerMap, putInitializer, weightValues, type SurgeryModel } from './model-graph.js';

/** The bias Add reading `node`'s output alone, with its initializer name. */
export function biasOf(model: OnnxModel, node: OnnxNode, N: number): { readonly add: OnnxNode; readonly name: string } | undefined {
  const readers = consumers(model).get(node.output?.[0] ?? '') ?? [];
  if (readers.length !== 1 || readers[0].op_type !== 'Add') return undefined;
  const add = readers[0];
  const inits = initializerMap(model);
  const name = (add.input ?? []).find((i) => i !== node.output![0]);
  const t = name === undefined ? undefined : inits.get(name);
  if (!t || t.data_type !== OnnxDataType.FLOAT || dimsOf(t).length !== 1 || dimsOf(t)[0] !== N) return undefined;
  return { add, name: name! };
}

/** The tensor the rest of the graph reads as the projection's output: the bias Add's, else the MatMul's. */
export function projectionOutput(model: OnnxModel, node: OnnxNode, N: number): string {
  return biasOf(model, node, N)?.add.output?.[0] ?? node.output![0];
}

/** Keeps only features `keep` of `node`'s bias, if it has one (packed pruning). // b (N,) -> (|keep|,) */
export function keepBiasFeatures(m: SurgeryModel, node: OnnxNode, N: number, keep: ArrayLike<number>): void {
  const bias = biasOf(m.model, node, N);
  if (!bias) return;
  const b = weightValues(m, bias.name);
  const kept = Float32Array.from({ length: keep.length }, (_, i) => b[keep[i]]);
  // a bias shared with another node keeps its full copy under the old name
  const name = `${bias.name}.kept${keep.length}`;
  putInitializer(m.model, floatTensor(name, [keep.length], kept));
  bias.add.input = (bias.add.input ?? []).map((i) => (i === bias.name ? name : i));
}
