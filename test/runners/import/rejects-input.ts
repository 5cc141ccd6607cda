/** Test helper: an async call must fail with a one-line InputError. */
import * as assert from 'uvu/assert';
import { InputError } from '../../../core/errors.js';

/** Asserts `run` fails with a one-line InputError matching `re`. */
export async function rejectsInput(run: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await run();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, re);
    assert.not.match((e as Error).message, /\n/);
    return;
  }
  assert.unreachable(`expected an InputError matching ${re}`);
}
