/**
 * Computes the importance matrix of a Llama-layout ONNX model folder on its calibration text
 * (the same calibration set and activation capture as compbench's ONNX methods), keyed by the
 * GGUF names llama.cpp gives the same weights.
 */
import { InputError } from '../../../core/errors.js';
import { loadModelFolder } from '../../model/model-folder.js';
import { buildCalibrationSet, type CalibrationSpec } from '../calibration-set.js';
import { captureActivations } from '../capture.js';
import { findTargets, openSurgeryModel, requireTargets } from '../model-graph.js';
import { importanceMatrixFromActivations, type ImportanceMatrix } from './importance-matrix.js';

const PROJ: Readonly<Record<string, string>> = {
  q_proj: 'attn_q',
  k_proj: 'attn_k',
  v_proj: 'attn_v',
  o_proj: 'attn_output',
  gate_proj: 'ffn_gate',
  up_proj: 'ffn_up',
  down_proj: 'ffn_down',
};

/** The GGUF tensor name of a Hugging Face Llama weight (`model.layers.0.self_attn.q_proj.weight` -> `blk.0.attn_q.weight`), or undefined. */
export function ggufNameOfOnnxWeight(onnxName: string): string | undefined {
  if (onnxName === 'lm_head.weight') return 'output.weight';
  const m = /^model\.layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)\.weight$/.exec(onnxName);
  const proj = m ? PROJ[m[2]!] : undefined;
  return m && proj ? `blk.${m[1]}.${proj}.weight` : undefined;
}

/** Options of {@link importanceMatrixForOnnxModel}. */
export interface OnnxImatrixOptions {
  readonly calibration?: CalibrationSpec;
  readonly threads?: number;
}

/** Captures the inputs of every projection and the head on the calibration set and averages x². */
export async function importanceMatrixForOnnxModel(modelDir: string, options: OnnxImatrixOptions = {}): Promise<ImportanceMatrix> {
  const m = openSurgeryModel(modelDir);
  const folder = loadModelFolder(m.dir);
  const targets = findTargets(m.model, { includeHead: true });
  requireTargets(targets, m);
  const named = targets.map((t) => ({ t, gguf: ggufNameOfOnnxWeight(t.weight) }));
  const unmapped = named.filter((n) => !n.gguf).map((n) => n.t.weight);
  if (unmapped.length === named.length) {
    throw new InputError(`${m.onnxPath}: no weight has a Llama name (model.layers.N.self_attn.q_proj.weight …; first is '${unmapped[0]}'): the importance matrix maps only Llama-layout ONNX exports to GGUF names`);
  }
  const calib = buildCalibrationSet(options.calibration ?? {}, folder.tokenizer);
  const inputs = [...new Set(named.filter((n) => n.gguf).map((n) => n.t.input))];
  const acts = await captureActivations(m, folder.config, inputs, calib.sequences, options.threads ?? 1);
  const entries = new Map<string, Float32Array>();
  const byInput = new Map<string, Float32Array>();
  for (const { t, gguf } of named) {
    if (!gguf) continue;
    let v = byInput.get(t.input);
    if (!v) {
      const a = acts.get(t.input)!;
      v = importanceMatrixFromActivations(a.data, a.T, a.K);
      byInput.set(t.input, v);
    }
    entries.set(gguf, v);
  }
  return { entries, source: { modelDir: m.dir, onnxSha256: m.sha256, calibration: calib.provenance, unmappedWeights: unmapped } };
}

/**
 * The importance matrix for quantizing `ggufPath`: only its ONNX twin can supply calibration
 * activations, so a GGUF-only source is refused with the fix.
 */
export async function importanceMatrixForGguf(ggufPath: string, onnxTwinDir: string | undefined, options: OnnxImatrixOptions = {}): Promise<ImportanceMatrix> {
  if (!onnxTwinDir) {
    throw new InputError(`${ggufPath}: an importance matrix needs calibration activations, which compbench captures from the ONNX model: give the ONNX twin folder of this GGUF (same weights), or quantize without an imatrix`);
  }
  return importanceMatrixForOnnxModel(onnxTwinDir, options);
}
