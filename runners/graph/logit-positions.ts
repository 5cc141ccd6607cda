/**
 * Model surgery: "logits only where scored". A decoder computes its LM head for every
 * position of a prefill although a scorer reads one or a few of them (on a 32k-vocabulary
 * model the head is a large share of a token's FLOPs). This adds an input
 * `logits_positions` (B,K) int64 that selects, per row, the positions whose logits the
 * graph returns: a GatherND in front of the LM head, as `num_logits_to_keep` does in
 * transformers, so `logits` becomes (B,K,V). The head's MatMul then has B·K rows instead
 * of B·S; each kept row is computed from the same activations by the same kernel.
 */
import { OnnxDataType, type OnnxModel, type OnnxNode } from '../formats/onnx/index.js';
import { valueInfo } from './graph-builder.js';

/** Name of the input the surgery adds. */
export const LOGITS_POSITIONS = 'logits_positions';

/** Symbolic length of the kept positions (second dim of `logits`). */
const KEPT_DIM = 'logits_length';

/** LM-head ops whose first input is the (B,S,h) activation and whose rows are independent. */
const HEAD_OPS: ReadonlySet<string> = new Set(['MatMul', 'MatMulNBits']);

/** A graph input/output/value_info entry, as far as this file reads it. */
interface ValueInfo {
  name?: string;
  type?: { tensor_type?: { shape?: { dim?: Record<string, unknown>[] } } };
}

function valueInfos(list: unknown): ValueInfo[] {
  return (list ?? []) as ValueInfo[];
}

/** GatherND's `batch_dims` arrived in opset 12. */
const MIN_OPSET = 12;

/** Why a graph was left as it is, or undefined when it can take the gather. */
export function logitPositionsBlocker(model: OnnxModel): string | undefined {
  const graph = model.graph;
  if (!graph) return 'no graph';
  if (valueInfos(graph.input).some((i) => i.name === LOGITS_POSITIONS)) return `already has '${LOGITS_POSITIONS}'`;
  const opsets = (model.opset_import ?? []) as { domain?: string; version?: unknown }[];
  const opset = opsets.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  if (opset && Number(opset.version) < MIN_OPSET) return `opset ${Number(opset.version)} < ${MIN_OPSET}`;
  const head = headNode(model);
  if (!head) return "the 'logits' output is not made by a MatMul or MatMulNBits";
  return undefined;
}

function headNode(model: OnnxModel): OnnxNode | undefined {
  const producer = (model.graph?.node ?? []).find((n) => (n.output ?? []).includes('logits'));
  return producer && HEAD_OPS.has(producer.op_type ?? '') && (producer.input ?? []).length > 0 ? producer : undefined;
}

/**
 * Adds `logits_positions` to `model` in place (see the file comment) and returns true, or
 * returns false and leaves the model untouched when {@link logitPositionsBlocker} names a reason.
 */
export function addLogitPositions(model: OnnxModel): boolean {
  if (logitPositionsBlocker(model) !== undefined) return false;
  const graph = model.graph!;
  const head = headNode(model)!;
  const shapeName = '/logits_positions/shape';
  const indices = '/logits_positions/Reshape';
  const kept = '/logits_positions/GatherND';
  graph.initializer = [
    ...(graph.initializer ?? []),
    // (B,K) -> (B,K,1): 0 copies the batch dim
    { name: shapeName, dims: [3], data_type: OnnxDataType.INT64, raw_data: new Uint8Array(BigInt64Array.of(0n, -1n, 1n).buffer) },
  ];
  const gather: OnnxNode[] = [
    { name: indices, op_type: 'Reshape', input: [LOGITS_POSITIONS, shapeName], output: [indices], attribute: [] },
    // x (B,S,h), indices (B,K,1) -> (B,K,h)
    { name: kept, op_type: 'GatherND', input: [head.input![0], indices], output: [kept], attribute: [{ name: 'batch_dims', type: 2, i: 1 }] },
  ];
  const nodes = graph.node ?? [];
  nodes.splice(nodes.indexOf(head), 0, ...gather);
  head.input![0] = kept;
  graph.input = [...valueInfos(graph.input), valueInfo(LOGITS_POSITIONS, OnnxDataType.INT64, ['batch_size', KEPT_DIM])];
  for (const out of valueInfos(graph.output)) {
    const dims = out.name === 'logits' ? out.type?.tensor_type?.shape?.dim : undefined;
    if (dims && dims.length === 3) dims[1] = { dim_param: KEPT_DIM };
  }
  graph.value_info = valueInfos(graph.value_info).filter((v) => v.name !== 'logits');
  return true;
}
