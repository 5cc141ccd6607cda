import type { VariantRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block } from '../document.js';
import type { BuiltSection, ReportInput } from './built.js';

/** One line about a variant's packed kernel check, for the report and the change record. */
export function selfCheckLine(v: VariantRecord): string {
  const c = v.selfCheck;
  if (!c) return v.executionForm === 'packed' ? 'no quantized kernel to check (fp32 matrices)' : 'not applicable (no packed kernel)';
  const fig = `relative logit error ${c.relRmsError.toExponential(2)} vs bound ${c.bound}, max |Δlogit| ${c.maxAbsLogitDiff.toExponential(2)}`;
  const runtime = c.machine.llamaCpp ? `llama.cpp ${c.machine.llamaCpp.release} (${c.machine.llamaCpp.cpuVariant} CPU library, ${c.machine.llamaCpp.kvCache} KV cache) vs onnxruntime ${c.machine.onnxruntime}` : `onnxruntime ${c.machine.onnxruntime}`;
  const where = `on ${c.machine.cpuModel}, ${runtime}${c.reused ? ', stored result of this machine' : ''}`;
  return `${c.state === 'passed' ? 'passed' : 'INVALID ON THIS HARDWARE'}: ${c.form} vs ${c.twin}: ${fig} ${where}`;
}

/** The packed kernels each variant ran and their check against the simulated twin on this machine. */
export function kernelsSection({ record }: ReportInput): BuiltSection {
  const packed = record.variants.filter((v) => v.executionForm === 'packed');
  const invalid = packed.filter((v) => v.selfCheck?.state === 'invalid');
  const blocks: Block[] = [];
  if (packed.length === 0) blocks.push(para('No packed variant in this run: every figure comes from fp32 or simulated (dequantized) weights.'));
  else if (invalid.length > 0) {
    blocks.push(para(`${invalid.length} packed variant(s) computed something else than their simulated twin on this machine and were refused, not scored: ${invalid.map((v) => v.id).join(', ')}. The gate fails them.`, 'bad'));
  } else blocks.push(para('Every packed variant agreed with its simulated twin on this machine within its form\'s bound.', 'ok'));
  blocks.push(para('Each packed variant runs a fixed probe (2 rows × 32 seeded token ids) and its simulated twin: MatMulNBits against the dequantized fp32 weights, the W8A8 chain against an fp32 emulation that computes the same integer products exactly (so a saturating uint8×int8 kernel is caught). A llama.cpp (GGUF) variant runs the probe on llama.cpp against its weights dequantized exactly into fp32 onnxruntime. The bound belongs to the form: accuracy_level 0 and llama.cpp F32 are the same fp32 arithmetic (≈ exact); level 4 and the quantized llama.cpp types round activations to 8 bits per block, and a quantized llama.cpp KV cache rounds keys and values (measured bounds).'));
  if (packed.length > 0) {
    blocks.push(table({
      id: 'kernel-checks',
      columns: ['variant', 'ops', 'accuracy level', 'W8A8 operands', 'self-check', 'form', 'relative logit error', 'bound', 'max |Δlogit|'],
      rows: packed.map((v) => {
        const k = v.kernels;
        const c = v.selfCheck;
        return [
          v.id, k && k.ops.length > 0 ? k.ops.join(', ') : v.backend?.backend === 'llama.cpp' ? 'llama.cpp (ggml CPU)' : 'unknown', k?.accuracyLevel === undefined ? '-' : String(k.accuracyLevel),
          k?.int8Operands ? `${k.int8Operands} (${k.int8Reason ?? ''})` : '-',
          c ? (c.state === 'passed' ? 'passed' : 'INVALID ON THIS HARDWARE') : 'not applicable',
          c?.form ?? '-',
          c ? numCell(c.relRmsError.toExponential(2), c.relRmsError) : '-', c ? String(c.bound) : '-',
          c ? numCell(c.maxAbsLogitDiff.toExponential(2), c.maxAbsLogitDiff) : '-',
        ];
      }),
    }));
  }
  const kv = record.variants.filter((v) => v.kvCache);
  if (kv.length > 0) {
    blocks.push(para('KV-cache memory per token of context: layers × 2 × KV heads × head_dim × bytes per element (fp32 4, f16 2, q8_0 34/32, q4_0 18/32, kivi2 1/4 + 4/group, plus its fp32 window). Packed: llama.cpp stores the cache in that form; simulated: the cache is stored fp32 and only rounded, so the saving is what the form would hold.'));
    blocks.push(table({
      id: 'kv-cache-bytes',
      columns: ['variant', 'cache form', 'runs', 'bytes per token', 'fp32 bytes per token', 'ratio', 'fp32 window bytes'],
      rows: kv.map((v) => {
        const k = v.kvCache!;
        return [v.id, k.form, v.executionForm, numCell(String(k.bytesPerToken), k.bytesPerToken), String(k.fp32BytesPerToken), (k.bytesPerToken / k.fp32BytesPerToken).toFixed(3), String(k.residualWindowBytes)];
      }),
    }));
  }
  return { section: { id: 'kernels', title: 'Packed kernels on this hardware', blocks }, charts: [] };
}
