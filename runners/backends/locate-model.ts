/**
 * Which backend a model path selects (DESIGN.md §11), without loading any runtime: a
 * `.gguf` file or a folder with one → llama.cpp; a folder with onnx/ → onnxruntime.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';

/** Which backend a path selects, and the file or folder it hands it. */
export type ModelLocation = { readonly backend: 'llama.cpp'; readonly ggufPath: string } | { readonly backend: 'onnxruntime'; readonly dir: string };

/**
 * Picks the backend for `pathArg`: a `.gguf` file, or a folder holding exactly one
 * `.gguf` and no onnx/ folder → llama.cpp; a folder with onnx/ and no `.gguf` →
 * onnxruntime. Anything ambiguous or empty is an InputError naming the folder and the fix.
 */
export function locateModel(pathArg: string): ModelLocation {
  const path = resolve(pathArg);
  if (!existsSync(path)) throw new InputError(`model folder or .gguf file ${path} not found; give a folder holding onnx/model.onnx, or a .gguf file`);
  if (statSync(path).isFile()) {
    if (path.toLowerCase().endsWith('.gguf')) return { backend: 'llama.cpp', ggufPath: path };
    throw new InputError(`model path ${path} is a file but not a .gguf; give a .gguf file or a model folder holding onnx/model.onnx`);
  }
  const ggufs = readdirSync(path).filter((n) => n.toLowerCase().endsWith('.gguf'));
  const hasOnnx = existsSync(join(path, 'onnx'));
  if (ggufs.length > 0 && hasOnnx) {
    throw new InputError(`model folder ${path} holds both onnx/ and ${ggufs.join(', ')}: keep one runtime's files per folder, or name the .gguf file itself`);
  }
  if (ggufs.length > 1) throw new InputError(`model folder ${path} holds ${ggufs.length} .gguf files (${ggufs.join(', ')}): keep one, or name the .gguf file itself`);
  if (ggufs.length === 1) return { backend: 'llama.cpp', ggufPath: join(path, ggufs[0]) };
  return { backend: 'onnxruntime', dir: path };
}

