/**
 * Finding and rewriting the shape constants that split q/k/v into heads and merge the
 * attention output before o_proj, so a graph with fewer heads still reshapes correctly.
 * Supported: optimum/torch exports where the shape is a Concat whose input 2 is a
 * constant ([batch, seq, heads, head_dim] / [batch, seq, heads·head_dim]) or a constant
 * shape tensor directly.
 */
import { InputError } from '../../core/errors.js';
import { OnnxDataType } from '../formats/onnx/onnx-proto.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from '../formats/onnx/onnx-types.js';
import { consumers, initializerMap, int64Tensor, producers, putInitializer } from './model-graph.js';
import { projectionOutput } from './projection-bias.js';

/** int64 values of a constant tensor (initializer or Constant node output), else undefined. */
export function constantInt64(model: OnnxModel, name: string): number[] | undefined {
  const init = initializerMap(model).get(name);
  const node = producers(model).get(name);
  const t: OnnxTensor | undefined = init ?? (node?.op_type === 'Constant' ? node.attribute?.find((a) => a.name === 'value')?.t : undefined);
  if (!t || t.data_type !== OnnxDataType.INT64) return undefined;
  if (t.raw_data && t.raw_data.length > 0) {
    const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
    return Array.from({ length: t.raw_data.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  }
  return (t.int64_data ?? []).map((v) => (typeof v === 'number' ? v : v.toNumber()));
}

/** Where a Reshape's shape holds the heads (or heads·head_dim) value, and how to change it. */
interface ShapeSlot {
  readonly value: number;
  set(model: OnnxModel, v: number, tag: string): void;
}

/** The slot at index `index` of the shape feeding `reshape`. */
function shapeSlot(model: OnnxModel, reshape: OnnxNode, index: number): ShapeSlot | undefined {
  const shapeName = reshape.input?.[1];
  if (!shapeName) return undefined;
  const direct = constantInt64(model, shapeName);
  if (direct && direct.length > index) {
    return {
      value: direct[index],
      set: (m, v, tag) => {
        const name = `${shapeName}.${tag}`;
        putInitializer(m, int64Tensor(name, direct.map((x, i) => (i === index ? v : x))));
        reshape.input![1] = name;
      },
    };
  }
  const concat = producers(model).get(shapeName);
  if (concat?.op_type !== 'Concat' || (concat.input ?? []).length <= index) return undefined;
  const part = constantInt64(model, concat.input![index]);
  if (!part || part.length !== 1) return undefined;
  return {
    value: part[0],
    set: (m, v, tag) => {
      const name = `${concat.input![index]}.${tag}`;
      putInitializer(m, int64Tensor(name, [v]));
      concat.input![index] = name;
    },
  };
}

/**
 * Rewrites the head count after q/k/v MatMul outputs and the merged width before o_proj.
 * // q: reshape (B,S,H·d) -> (B,S,H,d); o: (B,S,H,d)… -> (B,S,H·d)
 */
export function rewriteHeadShapes(
  model: OnnxModel,
  layer: { q: OnnxNode; k: OnnxNode; v: OnnxNode; o: OnnxNode; weightName: string },
  before: { heads: number; kvHeads: number; headDim: number },
  after: { heads: number; kvHeads: number },
): void {
  const readers = consumers(model);
  const fail = (what: string): never => {
    throw new InputError(`structured: cannot find the ${what} Reshape near ${layer.weightName}; head pruning needs q/k/v reshaped by a Concat [batch, seq, heads, head_dim] (use target 'ffn')`);
  };
  const projections: [OnnxNode, number, number, string][] = [[layer.q, before.heads, after.heads, 'q'], [layer.k, before.kvHeads, after.kvHeads, 'k'], [layer.v, before.kvHeads, after.kvHeads, 'v']];
  const edits: (() => void)[] = [];
  for (const [node, was, now, tag] of projections) {
    // after the bias Add when the projection has one
    const width = was * before.headDim;
    const reshape = (readers.get(projectionOutput(model, node, width)) ?? []).find((n) => n.op_type === 'Reshape');
    const slot = reshape && shapeSlot(model, reshape, 2);
    // transformers ≥ 4.48 reshapes to (B, S, -1, head_dim): the head count follows the weights
    if (slot?.value === -1 && shapeSlot(model, reshape!, 3)?.value === before.headDim) continue;
    if (!slot || slot.value !== was) fail(`${tag}_proj head`);
    edits.push(() => slot!.set(model, now, `heads${now}`));
  }
  const merge = producers(model).get(layer.o.input![0]);
  const slot = merge?.op_type === 'Reshape' ? shapeSlot(model, merge, 2) : undefined;
  if (slot?.value !== -1) {
    if (!slot || slot.value !== before.heads * before.headDim) fail('o_proj input merge');
    edits.push(() => slot!.set(model, after.heads * before.headDim, `width${after.heads * before.headDim}`));
  }
  for (const e of edits) e();
}

/** Sets dim 1 (heads) of past_key_values / present value infos that state it numerically. */
export function rewriteKvShapes(model: OnnxModel, kvHeads: number): void {
  type Vi = { name?: string; type?: { tensor_type?: { shape?: { dim?: { dim_value?: unknown }[] } } } };
  const g = model.graph as unknown as { input?: Vi[]; output?: Vi[] };
  for (const vi of [...(g.input ?? []), ...(g.output ?? [])]) {
    if (!/^(past_key_values|present)\./u.test(vi.name ?? '')) continue;
    const dim = vi.type?.tensor_type?.shape?.dim?.[1];
    if (dim && Object.prototype.hasOwnProperty.call(dim, 'dim_value')) dim.dim_value = kvHeads;
  }
}
