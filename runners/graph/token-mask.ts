/**
 * Model surgery: "several continuations in one row" (issue 15 item 3). A decoder graph lets
 * query column i see key column j when j ≤ i and attention_mask[b, j] = 1: one sequence per
 * row. This adds an input `token_mask` (B,S,T) bool that narrows that further, per query and
 * key column, so one row can hold a context followed by all of its continuations, each one
 * seeing the context and its own tokens only (tree attention). With explicit `position_ids`
 * every continuation restarts at the context's end, and its logits are those of a row that
 * held the context and that continuation alone, up to float rounding.
 *
 * The edit is one And in front of the node that combines the causal and the padding mask; it
 * is made only where that node is unambiguous. A graph that reads `attention_mask` any other
 * way (a sliding window counting real columns, positions from a cumulative sum) is left as it
 * is, since a packed row's columns are not one sequence there.
 */
import { OnnxDataType, type OnnxModel, type OnnxNode } from '../formats/onnx/index.js';
import { valueInfo } from './graph-builder.js';

/** Name of the input the surgery adds. */
export const TOKEN_MASK = 'token_mask';

/** Ops that compare key and query columns into the causal matrix. */
const CAUSAL_OPS: ReadonlySet<string> = new Set(['LessOrEqual', 'Less', 'GreaterOrEqual', 'Greater']);

/** How far back the mask's inputs are traced. */
const TRACE_DEPTH = 8;

/** Graph inputs whose values reach `name`, and the op types on the way, within {@link TRACE_DEPTH} nodes. */
function upstream(name: string, producers: ReadonlyMap<string, OnnxNode>): { inputs: Set<string>; ops: Set<string> } {
  const inputs = new Set<string>();
  const ops = new Set<string>();
  let frontier = [name];
  for (let depth = 0; depth < TRACE_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const value of frontier) {
      const node = producers.get(value);
      if (!node) {
        inputs.add(value);
        continue;
      }
      ops.add(node.op_type ?? '');
      // a Shape reads sizes, not values: the causal matrix takes its lengths from the mask's shape
      if (node.op_type !== 'Shape') next.push(...(node.input ?? []).filter((i) => i !== ''));
    }
    frontier = next;
  }
  return { inputs, ops };
}

/** The And node that joins the causal matrix and the padding mask, or why there is none to edit. */
function maskJoin(model: OnnxModel): OnnxNode | string {
  const graph = model.graph;
  if (!graph) return 'no graph';
  const inputNames = ((graph.input ?? []) as { name?: string }[]).map((i) => i.name);
  if (inputNames.includes(TOKEN_MASK)) return `already has '${TOKEN_MASK}'`;
  if (!inputNames.includes('attention_mask')) return "no 'attention_mask' input";
  if (!inputNames.includes('position_ids')) return "no 'position_ids' input (positions would come from the mask)";
  const nodes = graph.node ?? [];
  const producers = new Map<string, OnnxNode>();
  for (const n of nodes) for (const o of n.output ?? []) producers.set(o, n);
  const readers = nodes.filter((n) => (n.input ?? []).includes('attention_mask'));
  if (readers.some((n) => n.op_type === 'CumSum')) return 'the graph counts real columns of attention_mask (CumSum)';
  const joins = nodes.filter((n) => {
    if (n.op_type !== 'And' || (n.input ?? []).length !== 2) return false;
    const [a, b] = n.input!.map((i) => upstream(i, producers));
    const padding = (u: typeof a): boolean => u.inputs.has('attention_mask') && !u.ops.has('Range');
    const causal = (u: typeof a): boolean => !u.inputs.has('attention_mask') && u.ops.has('Range') && [...u.ops].some((op) => CAUSAL_OPS.has(op));
    return (padding(a) && causal(b)) || (padding(b) && causal(a));
  });
  if (joins.length !== 1) return `${joins.length} nodes join a causal matrix and attention_mask (expected 1)`;
  return joins[0];
}

/** Why a graph was left as it is, or undefined when it can take `token_mask`. */
export function tokenMaskBlocker(model: OnnxModel): string | undefined {
  const join = maskJoin(model);
  return typeof join === 'string' ? join : undefined;
}

/**
 * Adds `token_mask` to `model` in place (see the file comment) and returns true, or returns
 * false and leaves the model untouched when {@link tokenMaskBlocker} names a reason.
 */
export function addTokenMask(model: OnnxModel): boolean {
  const join = maskJoin(model);
  if (typeof join === 'string') return false;
  const graph = model.graph!;
  const opset = ((model.opset_import ?? []) as { domain?: string; version?: unknown }[]).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  // Unsqueeze takes its axes as an input from opset 13; the mask itself must not be an output
  if (!opset || Number(opset.version) < 13 || ((graph.output ?? []) as { name?: string }[]).some((o) => o.name === join.output![0])) return false;
  const allowed = join.output![0];
  const p = '/token_mask/';
  const axes = `${p}axes`;
  const joined = `${p}And`;
  graph.initializer = [...(graph.initializer ?? []), { name: axes, dims: [1], data_type: OnnxDataType.INT64, raw_data: new Uint8Array(BigInt64Array.of(1n).buffer) }];
  const nodes = graph.node ?? [];
  for (const n of nodes) n.input = (n.input ?? []).map((i) => (i === allowed ? joined : i));
  const added: OnnxNode[] = [
    // (B,S,T) -> (B,1,S,T), one mask for every head
    { name: `${p}Unsqueeze`, op_type: 'Unsqueeze', input: [TOKEN_MASK, axes], output: [`${p}Unsqueeze`], attribute: [] },
    { name: joined, op_type: 'And', input: [allowed, `${p}Unsqueeze`], output: [joined], attribute: [] },
  ];
  nodes.splice(nodes.indexOf(join) + 1, 0, ...added);
  graph.input = [...((graph.input ?? []) as unknown[]), valueInfo(TOKEN_MASK, OnnxDataType.BOOL, ['batch_size', 'sequence_length', 'total_sequence_length'])];
  return true;
}
