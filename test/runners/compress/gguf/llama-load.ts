/** Test helper: loads a GGUF with node-llama-cpp (CPU, prebuilt binaries only) and returns next-token logits. */
import type { Llama } from 'node-llama-cpp';

let llama: Promise<Llama> | undefined;

/** The shared CPU Llama instance of this test process. */
function cpuLlama(): Promise<Llama> {
  llama ??= import('node-llama-cpp').then((m) => m.getLlama({ gpu: false, build: 'never', logLevel: m.LlamaLogLevel.error }));
  return llama;
}

/** Loads `path`, evaluates `text` and returns the logits over the vocabulary after its last token. */
export async function nextTokenLogits(path: string, text = 'abc def'): Promise<number[]> {
  const model = await (await cpuLlama()).loadModel({ modelPath: path });
  try {
    const ctx = await model.createContext({ contextSize: 64, threads: 1 });
    try {
      const tokens = model.tokenize(text);
      const last = tokens[tokens.length - 1]!;
      const out = await ctx.getSequence().controlledEvaluate([...tokens.slice(0, -1), [last, { generateNext: { logits: true } }]]);
      const logits = out[out.length - 1]?.next.logits;
      if (!logits) throw new Error(`${path}: no logits returned`);
      return [...logits.values()];
    } finally {
      await ctx.dispose();
    }
  } finally {
    await model.dispose();
  }
}
