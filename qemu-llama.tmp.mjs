import { openModel } from './dist/runners/backends/open-model.js';
import { describeBackend } from './dist/runners/backends/backend-info.js';
const m = await openModel('/work/shared/external/stories260k/source/stories260K.gguf', { threads: 1 });
const [g] = await m.generate([{ prompt: '', options: { maxNewTokens: 60 } }]);
console.log(JSON.stringify(describeBackend(m)));
console.log(g.text.slice(0, 200));
const [r] = await m.rolling([{ text: 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park.' }]);
console.log('nll', r.nllSum, r.tokenCount);
await m.dispose();
