/**
 * Child-process entry for one llama.cpp quantization (forked by quantize-process.ts).
 * llama.cpp can abort() on input it does not expect, and it logs to the process's stderr;
 * a child isolates the abort and gives the parent the log as a plain pipe.
 */
import { messageOf, InputError } from '../../../core/errors.js';
import { llamaQuantize, type QuantizeCall } from './llama-quantize.js';

/** The one message the parent sends. */
export interface ChildJob {
  readonly input: string;
  readonly output: string;
  readonly call: QuantizeCall;
}

/** The one message the child answers with. */
export type ChildReply =
  | { readonly state: 'done'; readonly rc: number; readonly quantizeMs: number; readonly versions: { nodeLlamaCpp: string; llamaCpp: string } }
  | { readonly state: 'refused'; readonly input: boolean; readonly message: string };

function run(job: ChildJob): ChildReply {
  try {
    const lib = llamaQuantize();
    const start = performance.now();
    const rc = lib.quantize(job.input, job.output, job.call);
    return { state: 'done', rc, quantizeMs: performance.now() - start, versions: lib.versions };
  } catch (e) {
    return { state: 'refused', input: e instanceof InputError, message: messageOf(e) };
  }
}

process.once('message', (job: ChildJob) => {
  const reply = run(job);
  process.send!(reply, () => process.exit(0));
});
