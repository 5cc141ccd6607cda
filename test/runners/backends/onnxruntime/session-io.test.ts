import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { OnnxModel, OnnxNode } from '../../../../runners/formats/onnx/index.js';
import { rowsInteract } from '../../../../runners/backends/onnxruntime/session-io.js';

const test = suite('runners/session-io');

const node = (op_type: string, attribute: OnnxNode['attribute'] = []): OnnxNode => ({ op_type, attribute });
const model = (nodes: OnnxNode[], functions: OnnxModel['functions'] = []): OnnxModel => ({ ir_version: 8, graph: { node: nodes }, functions });

test('rowsInteract: per-tensor dynamic quantization anywhere in the graph mixes rows; MatMulNBits does not', () => {
  assert.is(rowsInteract(model([node('MatMul'), node('MatMulNBits'), node('Softmax')])), false);
  assert.is(rowsInteract(model([node('DynamicQuantizeLinear'), node('MatMulInteger')])), true);
  // optimum's merged decoder keeps its layers in the branches of an If (protobufjs leaves absent fields null)
  const branch = { g: { node: [node('DynamicQuantizeLinear')] }, graphs: null } as unknown as NonNullable<OnnxNode['attribute']>[number];
  assert.is(rowsInteract(model([node('If', [{ name: 'then_branch', g: null } as never, branch])])), true);
  assert.is(rowsInteract(model([node('Loop', [{ name: 'body', graphs: [{ node: [node('DynamicQuantizeMatMul')] }] }])])), true);
  assert.is(rowsInteract(model([node('Custom')], [{ node: [node('DynamicQuantizeLinear')] }])), true);
});

test.run();
