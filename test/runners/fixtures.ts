/** Helpers for runner tests: locating the shared models and building small fixtures in temp dirs. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath, sharedExternalDir } from '../../core/paths.js';
import { encodeModel, readModelFile } from '../../runners/formats/onnx/read-model.js';
import { findTargets } from '../../runners/compress/model-graph.js';
import type { OnnxModel, OnnxTensor } from '../../runners/formats/onnx/onnx-types.js';

/** stories260k's folder, or undefined (after printing a SKIP notice naming `what`). */
export function storiesDir(what: string): string | undefined {
  const ext = sharedExternalDir();
  if (!ext) {
    console.log(`SKIP ${what}: ../shared/external not found`);
    return undefined;
  }
  return join(ext, 'stories260k');
}

/** The bundled teacher's folder, or undefined (after printing a SKIP notice naming `what`). */
export function teacherDir(what: string): string | undefined {
  const dir = packagePath('datasets', 'models', 'teacher');
  try {
    if (statSync(join(dir, 'onnx', 'model.onnx')).isFile()) return dir;
  } catch {
    // absent until the teacher is trained
  }
  console.log(`SKIP ${what}: datasets/models/teacher not found (not trained yet)`);
  return undefined;
}

/** The bundled student's folder (0.95 M parameters: the cheapest real model for checks). */
export function studentDir(what: string): string | undefined {
  const dir = packagePath('datasets', 'models', 'student');
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return dir;
  console.log(`SKIP ${what}: datasets/models/student not found`);
  return undefined;
}

/** A fresh temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `compbench-${prefix}-`));
}

/** Copies a model folder (files and the onnx/ subfolder) into a new temp dir and returns it. */
export function copyModelFolder(src: string): string {
  const dst = tempDir('model');
  for (const name of readdirSync(src)) {
    if (statSync(join(src, name)).isFile()) copyFileSync(join(src, name), join(dst, name));
  }
  mkdirSync(join(dst, 'onnx'));
  copyFileSync(join(src, 'onnx', 'model.onnx'), join(dst, 'onnx', 'model.onnx'));
  return dst;
}

/**
 * A one-node ONNX model `Y = X @ W` (X float[1,2], W float[2,2]) with W stored as given.
 * Used to exercise the reader and the external-data guard without any big fixture.
 */
export function tinyMatMulModel(weight: OnnxTensor): Uint8Array {
  const tensorType = (dims: number[]) => ({ tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => ({ dim_value: d })) } } });
  const model: OnnxModel = {
    ir_version: 8,
    opset_import: [{ domain: '', version: 14 }],
    producer_name: 'compbench-test',
    graph: {
      name: 'tiny',
      node: [{ op_type: 'MatMul', input: ['X', 'W'], output: ['Y'], name: 'mm' }],
      initializer: [{ name: 'W', dims: [2, 2], data_type: 1, ...weight }],
      input: [{ name: 'X', type: tensorType([1, 2]) }],
      output: [{ name: 'Y', type: tensorType([1, 2]) }],
    },
  };
  return encodeModel(model);
}

/** Little-endian float32 bytes of `values`, placed at `offset` in a buffer of `offset + 4n` bytes (unaligned when offset % 4 ≠ 0). */
export function float32Bytes(values: readonly number[], offset = 0): Uint8Array {
  const out = new Uint8Array(offset + 4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(offset + 4 * i, v, true));
  return out;
}

/**
 * Graph surgery for tests: the same decoder without KV-cache inputs. Each
 * `past_key_values.*` graph input becomes a ConstantOfShape of (batch, kvHeads, 0, headDim)
 * computed from input_ids, and the `present.*` outputs are dropped, so the graph only
 * runs full-sequence forwards.
 */
export function withoutKvCache(model: OnnxModel, kvHeads: number, headDim: number): Uint8Array {
  const graph = model.graph!;
  const isPast = (name: string | undefined): boolean => (name ?? '').startsWith('past_key_values.');
  const pastNames = ((graph.input ?? []) as { name?: string }[]).filter((i) => isPast(i.name)).map((i) => i.name!);
  const int64 = (name: string, values: number[]): OnnxTensor => ({ name, dims: [values.length], data_type: 7, int64_data: values });
  graph.initializer = [...(graph.initializer ?? []), int64('nokv_zero', [0]), int64('nokv_rest', [kvHeads, 0, headDim])];
  graph.node = [
    { op_type: 'Shape', input: ['input_ids'], output: ['nokv_shape'], name: 'nokv_shape' },
    { op_type: 'Gather', input: ['nokv_shape', 'nokv_zero'], output: ['nokv_batch'], name: 'nokv_batch', attribute: [{ name: 'axis', type: 2, i: 0 }] },
    { op_type: 'Concat', input: ['nokv_batch', 'nokv_rest'], output: ['nokv_past_shape'], name: 'nokv_concat', attribute: [{ name: 'axis', type: 2, i: 0 }] },
    ...pastNames.map((name) => ({ op_type: 'ConstantOfShape', input: ['nokv_past_shape'], output: [name], name: `nokv_${name}` })),
    ...(graph.node ?? []),
  ];
  graph.input = ((graph.input ?? []) as { name?: string }[]).filter((i) => !isPast(i.name));
  graph.output = ((graph.output ?? []) as { name?: string }[]).filter((o) => !(o.name ?? '').startsWith('present.'));
  return encodeModel(model);
}

/** A copy of the student with one projection's weight set to NaN; returns the folder and the tensor's name. */
export function nanStudent(): { dir: string; tensor: string } | undefined {
  const src = studentDir('NaN model');
  if (!src) return undefined;
  const dir = copyModelFolder(src);
  const path = join(dir, 'onnx', 'model.onnx');
  const model = readModelFile(path, dir);
  const target = findTargets(model)[2];
  const t = model.graph!.initializer!.find((x) => x.name === target.weight)!;
  const bytes = new Uint8Array(t.raw_data!.byteLength);
  new Float32Array(bytes.buffer).fill(NaN);
  t.raw_data = bytes;
  writeFileSync(path, encodeModel(model));
  return { dir, tensor: target.weight };
}

