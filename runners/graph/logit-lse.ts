/**
 * Model surgery: the log-softmax normaliser in the graph. A scorer needs, per scored position,
 * log p(target) = logit[target] − log Σ exp(logits); in JavaScript the Σ exp costs about
 * 20 ns per vocabulary entry (Math.exp), as much as the forward itself on a 32k vocabulary.
 * This adds an output `logits_lse` (B,K,1) float64 = log Σ_v exp(logits[b,k,v]), computed
 * by onnxruntime's vectorised kernels in double precision (as the JavaScript loop sums), with
 * the maximum subtracted first. Each row is reduced on its own, along the vocabulary only,
 * so a row's value does not depend on its batch mates.
 */
import { OnnxDataType, type OnnxModel, type OnnxNode } from '../formats/onnx/index.js';
import { valueInfo } from './graph-builder.js';

/** Name of the output the surgery adds. */
export const LOGITS_LSE = 'logits_lse';

/**
 * Second output: each row's maximum logit (B,K,1) float64, the ReduceMax the normaliser
 * subtracts. With it the greedy check reads one logit instead of scanning the vocabulary.
 */
export const LOGITS_MAX = 'logits_max';

/** ONNX AttributeProto.AttributeType codes. */
const ATTR_INT = 2;
const ATTR_INTS = 7;

/** Opsets where ReduceSum (13) and ReduceMax (18) take `axes` as an input instead of an attribute. */
const SUM_AXES_INPUT = 13;
const MAX_AXES_INPUT = 18;

/** The default-domain opset of `model` (undefined when it names none). */
function defaultOpset(model: OnnxModel): number | undefined {
  const opsets = (model.opset_import ?? []) as { domain?: string; version?: unknown }[];
  const found = opsets.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  return found ? Number(found.version) : undefined;
}

/**
 * Adds `logits_lse` to `model` in place and returns true; returns false and leaves the model
 * untouched when the graph has no 3-d `logits` output, already has the output, or names no opset.
 */
export function addLogitLse(model: OnnxModel): boolean {
  const graph = model.graph;
  const opset = defaultOpset(model);
  if (!graph || opset === undefined) return false;
  const outputs = (graph.output ?? []) as { name?: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_param?: string; dim_value?: unknown }[] } } } }[];
  if (outputs.some((o) => o.name === LOGITS_LSE)) return false;
  const logits = outputs.find((o) => o.name === 'logits');
  const dims = logits?.type?.tensor_type?.shape?.dim;
  if (!dims || dims.length !== 3) return false;
  const p = '/logits_lse/';
  const axesName = `${p}axes`;
  graph.initializer = [...(graph.initializer ?? []), { name: axesName, dims: [1], data_type: OnnxDataType.INT64, raw_data: new Uint8Array(BigInt64Array.of(-1n).buffer) }];
  const reduce = (op: string, input: string, output: string, axesAsInput: boolean): OnnxNode => ({
    name: output,
    op_type: op,
    input: axesAsInput ? [input, axesName] : [input],
    output: [output],
    attribute: [{ name: 'keepdims', type: ATTR_INT, i: 1 }, ...(axesAsInput ? [] : [{ name: 'axes', type: ATTR_INTS, ints: [-1] }])],
  });
  const node = (op: string, input: string[], output: string): OnnxNode => ({ name: output, op_type: op, input, output: [output], attribute: [] });
  graph.node = [
    ...(graph.node ?? []),
    // x (B,K,V) float64; m (B,K,1) its row maxima
    { name: `${p}Cast`, op_type: 'Cast', input: ['logits'], output: [`${p}Cast`], attribute: [{ name: 'to', type: ATTR_INT, i: OnnxDataType.DOUBLE }] },
    reduce('ReduceMax', `${p}Cast`, `${p}ReduceMax`, opset >= MAX_AXES_INPUT),
    node('Sub', [`${p}Cast`, `${p}ReduceMax`], `${p}Sub`),
    node('Exp', [`${p}Sub`], `${p}Exp`),
    reduce('ReduceSum', `${p}Exp`, `${p}ReduceSum`, opset >= SUM_AXES_INPUT),
    node('Log', [`${p}ReduceSum`], `${p}Log`),
    node('Add', [`${p}Log`, `${p}ReduceMax`], LOGITS_LSE),
    node('Identity', [`${p}ReduceMax`], LOGITS_MAX),
  ];
  const shape = [dims[0].dim_param || 'batch_size', dims[1].dim_param || 'logits_length', 1];
  graph.output = [...outputs, valueInfo(LOGITS_LSE, OnnxDataType.DOUBLE, shape), valueInfo(LOGITS_MAX, OnnxDataType.DOUBLE, shape)] as typeof graph.output;
  return true;
}
