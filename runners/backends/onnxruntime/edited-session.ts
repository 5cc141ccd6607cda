/**
 * The edited graph a DecoderSession runs: the `logits_positions` gather (already in the model
 * handed here), then, where onnxruntime takes them, the `token_mask` input for packed rows and
 * the `logits_lse` output. An edit onnxruntime refuses is dropped, never the whole session.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { encodeModel } from '../../formats/onnx/read-model.js';
import type { OnnxModel } from '../../formats/onnx/index.js';
import { addLogitLse } from '../../graph/logit-lse.js';
import { addTokenMask } from '../../graph/token-mask.js';
import type { DecoderSession } from './decoder-session.js';

/** Which optional edits to try (both default true). */
export interface EditChoice {
  readonly logSumExp?: boolean;
  readonly packRows?: boolean;
}

/**
 * A session of `model` (which has the gather) with as many of the optional edits as
 * onnxruntime accepts: both, then the normaliser alone, the mask alone, the gather alone.
 * `create` returns undefined where onnxruntime refused the bytes. `model` is edited in place;
 * `fresh` gives the gather-only model again, for the rare retries (so a session that takes
 * its edits encodes the graph once).
 */
export async function createEdited(model: OnnxModel, choice: EditChoice, create: (bytes: Uint8Array) => Promise<InferenceSession | undefined>, fresh: () => OnnxModel): Promise<InferenceSession | undefined> {
  const wanted: [boolean, boolean][] = [
    [choice.packRows !== false, choice.logSumExp !== false],
    [false, choice.logSumExp !== false],
    [choice.packRows !== false, false],
    [false, false],
  ];
  const tried = new Set<string>();
  for (const [mask, lse] of wanted) {
    const m = tried.size === 0 ? model : fresh();
    const masked = mask && addTokenMask(m);
    const normalised = lse && addLogitLse(m);
    // what was applied, not what was asked: a graph that takes neither edit is tried once
    const key = `${masked}/${normalised}`;
    if (tried.has(key)) continue;
    tried.add(key);
    const session = await create(encodeModel(m));
    if (session) return session;
  }
  return undefined;
}

/** Largest |Δ logit| accepted between a packed row and the plain rows it stands for. */
const PACKED_TOLERANCE = 1e-3;

/**
 * Fail-closed check of a session with `token_mask`: one row holding a 3-token context and
 * two continuations must give the logits of the two plain rows (context + each continuation)
 * within {@link PACKED_TOLERANCE}. A graph whose mask edit missed something (a second mask, a
 * position read from the mask) fails it and is opened again without the edit.
 */
export async function packedRowsAgree(session: DecoderSession): Promise<boolean> {
  const vocab = session.config.vocabSize;
  const [a, b, c, d, e, f] = [1, 2, 3, 4, 5, 6].map((t) => t % vocab);
  const plain1 = await session.forward([[a, b, c, d, e]], undefined, undefined, { keepCache: false });
  const plain2 = await session.forward([[a, b, c, f]], undefined, undefined, { keepCache: false });
  // a, b, c, then d, e and, as a second branch after c, f
  const packed = await session.forward([[a, b, c, d, e, f]], undefined, undefined, { keepCache: false, links: [[-1, 0, 1, 2, 3, 2]] });
  // [packed column, plain result, its column]
  const pairs: [number, typeof plain1, number][] = [[0, plain1, 0], [1, plain1, 1], [2, plain1, 2], [3, plain1, 3], [4, plain1, 4], [5, plain2, 3]];
  let worst = 0;
  for (const [column, plain, at] of pairs) {
    const x = packed.offset(0, column);
    const y = plain.offset(0, at);
    for (let v = 0; v < packed.vocab; v++) worst = Math.max(worst, Math.abs(packed.logits[x + v] - plain.logits[y + v]));
  }
  return Number.isFinite(worst) && worst <= PACKED_TOLERANCE;
}
