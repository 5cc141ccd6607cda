/**
 * Cutting a model graph into consecutive segments for activation capture with bounded
 * memory: only the nodes the captured tensors depend on are kept (the output head, logits
 * and anything after the last captured tensor are never run), in graph order (ONNX stores
 * nodes topologically sorted), and a new segment starts when the next node would bring the
 * segment's weights past a byte budget. Each segment then runs as its own small session on
 * the tensors earlier segments produced, so onnxruntime never holds more than one
 * segment's weights. Pure: graph in, plan out.
 */
import type { OnnxModel, OnnxNode } from '../formats/onnx/onnx-types.js';

/** One segment: its nodes, the tensors it reads from before it, and those it hands on. */
export interface CaptureSegment {
  readonly nodes: readonly OnnxNode[];
  /** Tensors read here, produced by an earlier segment or fed as a graph input (not initializers). */
  readonly inputs: readonly string[];
  /** Tensors produced here that a later segment reads or that are captured. */
  readonly outputs: readonly string[];
  /** Names of the initializers the nodes read. */
  readonly initializers: readonly string[];
}

/** Bytes of each initializer (raw data, or external length). */
function initializerBytes(model: OnnxModel): Map<string, number> {
  const bytes = new Map<string, number>();
  for (const t of model.graph?.initializer ?? []) {
    const ext = (t.external_data ?? []).find((e) => e.key === 'length')?.value;
    bytes.set(t.name ?? '', ext !== undefined ? Number(ext) : (t.raw_data?.length ?? 0));
  }
  return bytes;
}

/** The nodes `names` depend on, in graph order. */
function neededNodes(model: OnnxModel, names: readonly string[]): OnnxNode[] {
  const nodes = model.graph?.node ?? [];
  const need = new Set(names);
  const keep: boolean[] = new Array(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!(nodes[i].output ?? []).some((o) => need.has(o))) continue;
    keep[i] = true;
    for (const x of nodes[i].input ?? []) if (x) need.add(x);
  }
  return nodes.filter((_, i) => keep[i]);
}

/**
 * Segments computing `names`; each holds at most `budgetBytes` of weights unless one node
 * alone reads more.
 */
export function planCaptureSegments(model: OnnxModel, names: readonly string[], budgetBytes: number): CaptureSegment[] {
  const bytes = initializerBytes(model);
  const groups: OnnxNode[][] = [];
  let current: OnnxNode[] = [];
  let seen = new Set<string>();
  let used = 0;
  for (const node of neededNodes(model, names)) {
    const fresh = (node.input ?? []).filter((x) => bytes.has(x) && !seen.has(x));
    const add = fresh.reduce((a, x) => a + bytes.get(x)!, 0);
    if (current.length > 0 && add > 0 && used + add > budgetBytes) {
      groups.push(current);
      current = [];
      seen = new Set();
      used = 0;
    }
    current.push(node);
    for (const x of fresh) seen.add(x);
    used += add;
  }
  if (current.length > 0) groups.push(current);
  const captured = new Set(names);
  // Last segment reading each tensor: a tensor is handed on while a later segment needs it.
  const lastReader = new Map<string, number>();
  groups.forEach((g, s) => g.forEach((n) => (n.input ?? []).forEach((x) => x && lastReader.set(x, s))));
  return groups.map((g, s) => {
    const produced = new Set(g.flatMap((n) => n.output ?? []));
    const read = [...new Set(g.flatMap((n) => (n.input ?? []).filter((x) => x)))];
    return {
      nodes: g,
      inputs: read.filter((x) => !produced.has(x) && !bytes.has(x)),
      outputs: [...produced].filter((o) => captured.has(o) || (lastReader.get(o) ?? -1) > s),
      initializers: read.filter((x) => bytes.has(x)),
    };
  });
}

/**
 * The default segment budget: twice the largest weight group one captured tensor feeds
 * (q|k|v, gate|up, …), so a segment holds about one such group plus the next.
 */
export function captureBudgetBytes(model: OnnxModel, names: readonly string[]): number {
  const bytes = initializerBytes(model);
  let largest = 0;
  for (const name of names) {
    let sum = 0;
    for (const n of model.graph?.node ?? []) {
      if (!(n.input ?? []).includes(name)) continue;
      for (const x of n.input ?? []) sum += bytes.get(x) ?? 0;
    }
    largest = Math.max(largest, sum);
  }
  return Math.max(2 * largest, 2 ** 20);
}
