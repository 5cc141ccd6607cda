import { InputError } from '../../../core/errors.js';
import { ggufString, readGgufFile, type GgufFile } from '../../formats/gguf/index.js';

/**
 * Reads and checks a GGUF file's header before llama.cpp sees it: llama.cpp aborts the
 * whole process on some malformed files, so a truncated or foreign file must be refused
 * here, with one line naming it (readGgufFile checks magic, version and that every
 * tensor lies inside the file).
 */
export function checkGgufForLlama(path: string): GgufFile {
  const file = readGgufFile(path);
  if (ggufString(file, 'general.architecture') === undefined) {
    throw new InputError(`${path}: GGUF metadata has no general.architecture string: re-export the file with llama.cpp's convert_hf_to_gguf.py`);
  }
  if (file.tensors.length === 0) throw new InputError(`${path}: GGUF file holds no tensors: give a model file, not a vocabulary-only GGUF`);
  return file;
}

/** The one-line message for a GGUF that llama.cpp refused to load (unknown architecture, missing tensors, …). */
export function loadFailure(path: string, file: GgufFile, cause: string): InputError {
  const arch = ggufString(file, 'general.architecture');
  return new InputError(
    `${path}: llama.cpp cannot load this model (architecture '${arch}'): ${cause}; use a GGUF of an architecture this llama.cpp supports, or the ONNX folder of the model`,
  );
}
