/**
 * Runs one `llama_model_quantize` call in a child process (quantize-child.ts) and returns its
 * reply with the full log. Typed arrays of the importance matrix travel by structured clone.
 */
import { fork } from 'node:child_process';
import { InfraError, InputError } from '../../../core/errors.js';
import type { ChildJob, ChildReply } from './quantize-child.js';

/** A finished call: llama.cpp's return code, its timing and its log. */
export interface QuantizeRun {
  readonly rc: number;
  /** Time inside llama_model_quantize, in the child. */
  readonly quantizeMs: number;
  readonly versions: { readonly nodeLlamaCpp: string; readonly llamaCpp: string };
  /** stdout and stderr of the child, in arrival order. */
  readonly log: string;
}

const CHILD = new URL('./quantize-child.js', import.meta.url);

/** Forks the child, sends `job`, waits for its reply and its exit. */
export function runQuantizeChild(job: ChildJob): Promise<QuantizeRun> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(CHILD, [], { serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => chunks.push(b));
    child.stderr!.on('data', (b: Buffer) => chunks.push(b));
    let reply: ChildReply | undefined;
    child.on('message', (m) => { reply = m as ChildReply; });
    child.on('error', (e) => reject(new InfraError(`llama.cpp quantization child could not start: ${e.message}`)));
    child.on('close', (code, signal) => {
      const log = Buffer.concat(chunks).toString('utf8');
      if (!reply) {
        const last = log.trim().split('\n').slice(-1)[0] ?? '';
        reject(new InfraError(`llama.cpp quantizing ${job.input} ended without an answer (${signal ?? `exit ${code}`}); last log line: ${last.slice(0, 300)}`));
        return;
      }
      if (reply.state === 'refused') {
        reject(reply.input ? new InputError(reply.message) : new InfraError(`llama.cpp quantization child: ${reply.message}`));
        return;
      }
      resolvePromise({ rc: reply.rc, quantizeMs: reply.quantizeMs, versions: reply.versions, log });
    });
    child.send(job);
  });
}
