/** Fixtures of the llama.cpp backend tests: stories260K.gguf and fixed TinyStories-like texts. */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../core/errors.js';
import type { LoglikelihoodRequest } from '../../../../core/requests.js';
import { storiesDir, tempDir } from '../../fixtures.js';

/** stories260k's folder and its GGUF (llama.cpp's own F32 test copy), or undefined after a SKIP line. */
export function storiesGguf(what: string): { dir: string; gguf: string } | undefined {
  const dir = storiesDir(what);
  if (!dir) return undefined;
  const gguf = join(dir, 'source', 'stories260K.gguf');
  if (!existsSync(gguf)) {
    console.log(`SKIP ${what}: ${gguf} not found`);
    return undefined;
  }
  return { dir, gguf };
}

/** A new temp folder holding a copy of `gguf` (as model.gguf); returns the folder. */
export function folderWithGguf(gguf: string): string {
  const dir = tempDir('gguf');
  copyFileSync(gguf, join(dir, 'model.gguf'));
  return dir;
}

/** Fixed texts in the style of TinyStories (written for these tests). */
export const STORY_TEXTS = [
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the sun.',
  'Tom had a big red ball. He liked to throw it to his dog, Max.',
  'One day, a cat saw a bird in the tree. The cat wanted to catch the bird, but the bird flew away.',
  'Sue and her mom went to the park. They saw ducks in the pond and gave them some bread.',
  'The sun was warm and the sky was blue. Ben ran to his friend and said, "Let\'s play!"',
  'Mia found a shiny stone on the ground. She put it in her pocket and smiled.',
  'There was a small boat on the lake. A frog jumped on the boat and said hello to the fish.',
  'Lily wanted to bake a cake for her mom. She asked her dad to help her.',
  'The little bear was sad because he lost his toy. His friend the rabbit helped him look for it.',
  'It was a rainy day. Sam stayed inside and drew a picture of a big house.',
  'Anna liked to sing. Every morning she sang a song to the birds outside her window.',
  'The dog barked at the mailman. Then he wagged his tail and went back to sleep.',
  'Jack and Jill went up the hill to get some water. Jack fell down and Jill laughed.',
  'Grandma gave Timmy a warm hug and a cookie. Timmy said thank you and ate it.',
  'A tiny ant carried a leaf across the garden. It was heavy, but the ant did not give up.',
  'The children built a tall tower with blocks. When it fell, they laughed and built it again.',
  'Once there was a kind old man who lived in a small house near the woods.',
  'Lucy saw a butterfly with pretty wings. She followed it to a field full of flowers.',
  'The car was very fast. Tim drove it around the room and made loud noises.',
  'Max the dog found a bone in the yard. He was so happy that he ran in circles.',
  'The moon was bright at night. Emma looked out of her window and made a wish.',
  'Bob wanted to be a pilot. He made a plane out of paper and threw it high in the air.',
  'Kitty the cat liked milk. One day she found a big bowl of milk on the table.',
  'The girl and the boy shared their toys. They were good friends and played all day.',
] as const;

/** Loglikelihood requests cut from {@link STORY_TEXTS}: each text's first sentence continued by its second, plus a one-word choice. */
export function storyRequests(): LoglikelihoodRequest[] {
  const out: LoglikelihoodRequest[] = [];
  for (const text of STORY_TEXTS) {
    const cut = text.indexOf('. ') + 1;
    if (cut > 0) out.push({ context: text.slice(0, cut), continuation: text.slice(cut) });
    const lastSpace = text.lastIndexOf(' ');
    out.push({ context: text.slice(0, lastSpace), continuation: text.slice(lastSpace) });
  }
  return out;
}

/** The message of the InputError `p` rejects with; fails the test when it resolves or rejects otherwise. */
export async function inputErrorOf(p: Promise<unknown>): Promise<string> {
  let caught: unknown;
  await p.then(
    async (v) => {
      await (v as { dispose?: () => Promise<void> } | undefined)?.dispose?.();
    },
    (e: unknown) => (caught = e),
  );
  if (!(caught instanceof InputError)) throw new Error(`expected an InputError, got ${caught === undefined ? 'success' : String(caught)}`);
  if (caught.message.includes('\n')) throw new Error('an InputError must be one line');
  return caught.message;
}
