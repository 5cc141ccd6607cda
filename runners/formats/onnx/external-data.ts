import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../../../core/errors.js';
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from './onnx-types.js';

/** Where a tensor's bytes sit in an external file (ONNX `external_data` keys). */
export interface ExternalDataRef {
  /** Name of the tensor that points outside the model file. */
  readonly tensorName: string;
  /** `location` as written in the model (relative to the model file's folder). */
  readonly location: string;
  /** Byte offset in the file (0 when absent). */
  readonly offset: number;
  /** Byte length, or undefined for "to the end of the file". */
  readonly length: number | undefined;
}

/** The external-data reference of one tensor, or undefined when its data is inline. */
export function externalDataOf(t: OnnxTensor): ExternalDataRef | undefined {
  const entries = t.external_data ?? [];
  if (entries.length === 0 && t.data_location !== 1) return undefined;
  const get = (key: string): string | undefined => entries.find((e) => e.key === key)?.value;
  const name = t.name ?? '';
  const location = get('location');
  if (!location) throw new InputError(`tensor '${name}' is marked external but has no external_data location; the model file is damaged`);
  const offset = Number(get('offset') ?? '0');
  const lengthText = get('length');
  const length = lengthText === undefined ? undefined : Number(lengthText);
  if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
    throw new InputError(`tensor '${name}' has an invalid external_data offset/length; the model file is damaged`);
  }
  return { tensorName: name, location, offset, length };
}

/** Calls `visit` on every tensor of the model: initializers, sparse initializers, attribute tensors, subgraphs, functions. */
export function forEachTensor(model: OnnxModel, visit: (t: OnnxTensor) => void): void {
  const walkNodes = (nodes: OnnxNode[] | undefined): void => {
    for (const node of nodes ?? []) for (const a of node.attribute ?? []) walkAttribute(a);
  };
  const walkSparse = (s: { values?: OnnxTensor; indices?: OnnxTensor } | undefined): void => {
    if (s?.values) visit(s.values);
    if (s?.indices) visit(s.indices);
  };
  const walkGraph = (g: OnnxGraph | undefined): void => {
    if (!g) return;
    for (const t of g.initializer ?? []) visit(t);
    for (const s of g.sparse_initializer ?? []) walkSparse(s);
    walkNodes(g.node);
  };
  const walkAttribute = (a: OnnxAttribute): void => {
    if (a.t) visit(a.t);
    for (const t of a.tensors ?? []) visit(t);
    walkSparse(a.sparse_tensor);
    for (const s of a.sparse_tensors ?? []) walkSparse(s);
    walkGraph(a.g);
    for (const g of a.graphs ?? []) walkGraph(g);
  };
  walkGraph(model.graph);
  for (const f of model.functions ?? []) walkNodes(f.node);
}

/** Every external-data reference of the model. */
export function externalDataRefs(model: OnnxModel): ExternalDataRef[] {
  const refs: ExternalDataRef[] = [];
  forEachTensor(model, (t) => {
    const ref = externalDataOf(t);
    if (ref) refs.push(ref);
  });
  return refs;
}

/**
 * Absolute path of an external-data file, checked to stay inside `allowedRoot`
 * (also after following symlinks). Throws InputError naming the model file otherwise.
 */
export function resolveExternalPath(ref: ExternalDataRef, modelPath: string, allowedRoot: string = dirname(modelPath)): string {
  const root = resolve(allowedRoot);
  const target = resolve(dirname(modelPath), ref.location);
  const outside = (p: string, r: string): boolean => {
    const rel = relative(r, p);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel);
  };
  let escapes = isAbsolute(ref.location) || outside(target, root);
  if (!escapes && existsSync(target)) escapes = outside(realpathSync(target), realpathSync(root));
  if (escapes) {
    throw new InputError(
      `${modelPath}: external data '${ref.location}' of tensor '${ref.tensorName}' resolves outside the model folder ${root}; keep weight files inside the folder`,
    );
  }
  return target;
}

/** Throws InputError when any external-data location of the model leaves `allowedRoot` (default: the model file's folder). */
export function checkExternalDataInside(model: OnnxModel, modelPath: string, allowedRoot?: string): void {
  for (const ref of externalDataRefs(model)) resolveExternalPath(ref, modelPath, allowedRoot);
}
