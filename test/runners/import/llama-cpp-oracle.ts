/**
 * Test-only: a GGUF file run by llama.cpp through node-llama-cpp (CPU, prebuilt binary,
 * F32 KV cache, flash attention off: with it on, llama.cpp's CPU attention rounds through
 * fp16 and the teacher's logits move by ~4e-3). Undefined when node-llama-cpp cannot load.
 */

/** llama.cpp's view of one GGUF model. */
export interface LlamaCppModel {
  /** llama.cpp's tokens of `text` (no BOS, special tokens as text). */
  tokenize(text: string): number[];
  /** Logits (vocab,) after each of `tokens`, from one fresh sequence. */
  logits(tokens: readonly number[], vocab: number): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Loads `path` with llama.cpp, or returns undefined (callers print their SKIP line). */
export async function loadLlamaCpp(path: string): Promise<LlamaCppModel | undefined> {
  let mod: typeof import('node-llama-cpp');
  try {
    mod = await import('node-llama-cpp');
  } catch {
    return undefined;
  }
  const llama = await mod.getLlama({ gpu: false, build: 'never', logLevel: mod.LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path });
  return {
    tokenize: (text) => Array.from(model.tokenize(text), Number),
    async logits(tokens, vocab) {
      const ctx = await model.createContext({ contextSize: 256, flashAttention: false, experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32' });
      try {
        const seq = ctx.getSequence();
        type Input = Parameters<typeof seq.controlledEvaluate>[0];
        const res = await seq.controlledEvaluate(tokens.map((t) => [t, { generateNext: { logits: true } }]) as unknown as Input);
        return res.map((r) => {
          const map = r?.next?.logits as unknown as Map<number, number> | undefined;
          const out = new Float32Array(vocab);
          for (let v = 0; v < vocab; v++) out[v] = map?.get(v) ?? NaN;
          return out;
        });
      } finally {
        await ctx.dispose();
      }
    },
    async dispose() {
      await model.dispose();
    },
  };
}

/** Strings that stress a tokenizer: accents, digits, runs of spaces, newlines, apostrophes, punctuation. */
export const TOKENIZER_PROBES: readonly string[] = [
  'Hello world',
  'The capital of France is Paris.',
  'hello  world',
  'café naïve résumé',
  'Ünïcödé ÀÉÎÕÜ ß ø',
  '12345 apples and 67 pears',
  '3.14159 is pi; 2+2=4',
  'line1\nline2',
  'a\n\nb',
  'x  \n y',
  ' leading space',
  'trailing space ',
  "it's John's dog, isn't it?",
  'tabs\tand\ttabs',
  'UPPER lower MiXeD',
  'Once upon a time, there was a little girl.',
  '(parentheses) [brackets] {braces}',
  'email@example.com http://x.y/z',
  '    four spaces',
  'naïve café 2024\n\n  end',
  'über-cool co-operate',
  '!!! ??? ...',
];
