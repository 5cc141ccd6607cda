import { readFileSync, statSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';
import { compileSchema } from '../../../core/schemas/validate.js';
import { measureVariantWithDiagnostics } from '../../../runners/measure/measure-variant.js';
import type { MeasureSettings } from '../../../runners/measure/settings.js';
import { folderWithGguf, storiesGguf } from '../backends/llama-cpp/fixtures.js';

const test = suite('runners/measure/measure-variant on a GGUF (llama.cpp in the measuring child)');

const QUICK: MeasureSettings = { promptTokens: 16, prefillRepeats: 2, warmupTokens: 2, decodeTokens: 12 };

const schema = JSON.parse(readFileSync(packagePath('core', 'schemas', 'run-record.schema.json'), 'utf8')) as { properties: { measurements: object } };
const checkMeasurements = compileSchema(schema.properties.measurements);

test('stories260K.gguf (file, and a folder holding it): finite tokens/s, peak RSS of its own child, valid record', async () => {
  const s = storiesGguf('measure a GGUF');
  if (!s) return;
  const size = statSync(s.gguf).size;
  for (const modelDir of [s.gguf, folderWithGguf(s.gguf)]) {
    const { record: r, diagnostics } = await measureVariantWithDiagnostics({ variantId: 'gguf', modelDir, executionForm: 'packed', sizeBytes: size }, QUICK);
    assert.is(r.state, 'measured', JSON.stringify(r));
    if (r.state !== 'measured') return;
    assert.is.not(diagnostics.childPid, process.pid);
    assert.ok(Number.isFinite(r.decode.tokensPerS) && r.decode.tokensPerS > 0, `tokens/s ${r.decode.tokensPerS}`);
    assert.ok(r.peakRssBytes > 10e6 && r.peakRssBytes < 4e9, `peak RSS ${r.peakRssBytes}`);
    assert.is(r.decode.samples, 12);
    assert.is(r.prefill.samples, 2);
    assert.ok(r.prefill.p50Ms > 0 && r.prefill.p50Ms <= r.prefill.p99Ms);
    assert.equal(checkMeasurements([r], { file: 'run.json#measurements' }), []);
    console.log(`  ${modelDir === s.gguf ? 'file  ' : 'folder'}: decode ${r.decode.tokensPerS.toFixed(0)} tokens/s (p50 ${r.decode.p50Ms.toFixed(3)} ms), prefill 16 tokens p50 ${r.prefill.p50Ms.toFixed(3)} ms, peak RSS ${(r.peakRssBytes / 1e6).toFixed(1)} MB`);
  }
});

test('more tokens than the GGUF context is an errored record naming the settings', async () => {
  const s = storiesGguf('measure a GGUF past its context');
  if (!s) return;
  const { record } = await measureVariantWithDiagnostics({ variantId: 'long', modelDir: s.gguf, executionForm: 'packed', sizeBytes: 0 }, { ...QUICK, decodeTokens: 3000 });
  assert.equal(record, {
    state: 'errored',
    variantId: 'long',
    error: `settings.promptTokens + warmupTokens + decodeTokens = 3018 exceeds the context window of ${s.gguf} (2048 tokens); lower them`,
  });
});

test.run();
