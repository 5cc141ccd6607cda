/**
 * What `compbench init DIR` writes: a starter run config and a starter gate policy that
 * run as they are on the bundled models. JSON has no comments, so the config explains
 * itself in a `$comment` array (allowed and ignored by the schema) and the policy in the
 * `description` fields its schema already has.
 */
import { relative, sep } from 'node:path';
import { PACKAGE_ROOT, packagePath } from '../../core/paths.js';

/** File name of the starter run config inside DIR. */
export const STARTER_CONFIG_FILE = 'compbench.config.json';

/** File name of the starter gate policy inside DIR. */
export const STARTER_POLICY_FILE = 'gate-policy.json';

/** The suites the starter runs: bundled ids, one per role the policy gates. */
export const STARTER_SUITES = ['knowledge-closed', 'reasoning', 'fairness', 'rare-words'] as const;

/**
 * A file of the package as the config in `dir` names it: relative when `dir` is inside
 * the checkout (the config moves with it), else absolute.
 */
function fromDir(dir: string, ...parts: string[]): string {
  const target = packagePath(...parts);
  const inside = dir === PACKAGE_ROOT || dir.startsWith(PACKAGE_ROOT + sep);
  return (inside ? relative(dir, target) : target).split(sep).join('/');
}

/** The starter run config for a config file in `dir` (absolute): paths are relative to `dir`, as the loader reads them. */
export function starterConfig(dir: string): Record<string, unknown> {
  return {
    $schema: fromDir(dir, 'core', 'schemas', 'run-config.schema.json'),
    $comment: [
      'compbench run --config THIS_FILE --out runs/mine runs this as it is; every field is optional (absent = runners/matrix/default-config.json).',
      'models: each evaluated as it is. dir is relative to this file: an ONNX folder (config.json, tokenizer.json, onnx/model.onnx), a Hugging Face safetensors folder (imported into the cache first) or a .gguf file (runs on llama.cpp).',
      '  Your own model: add { "id": "mine", "dir": "path/to/folder" }; "compareTo": "<model id>" pairs it with another model, "distilledFrom" with its teacher.',
      'baseline: the model the report ranks against; each compressed variant is still compared with its own model.',
      'methods: compression methods × params; a list sweeps (bits [8, 4] makes two variants); "models" limits an entry to some models. Methods: compbench compress --help.',
      'suites: bundled suite ids (compbench suites list) or folders relative to this file (format: suites/FORMAT.md; compbench suites init DIR --kind generate writes one).',
      'limit: only the first N instances of each suite (null = all); a small limit is quick, but the gate then fails closed (too few instances to trust).',
      'measurement: speed, memory and energy after the accuracy cells; set enabled false for accuracy only.',
      `gatePolicy: the rules compbench run applies at the end (${STARTER_POLICY_FILE} beside this file); "default" derives them from the suites' roles.`,
    ],
    models: [
      { id: 'teacher', dir: fromDir(dir, 'datasets', 'models', 'teacher') },
      { id: 'student', dir: fromDir(dir, 'datasets', 'models', 'student'), distilledFrom: 'teacher' },
    ],
    baseline: 'teacher',
    methods: [
      { method: 'rtn', bits: [8, 4], group: 32, models: ['teacher'] },
      { method: 'gptq', bits: 4, group: 32, models: ['teacher'] },
    ],
    suites: [...STARTER_SUITES],
    seed: 1234,
    limit: null,
    measurement: { enabled: true },
    gatePolicy: STARTER_POLICY_FILE,
  };
}

/** The starter gate policy: one rule per starter suite, the bundled policy's margins, speed and memory ceilings. */
export function starterPolicy(dir: string): Record<string, unknown> {
  return {
    $schema: fromDir(dir, 'core', 'schemas', 'gate-policy.schema.json'),
    description:
      'Starter policy from compbench init: every compressed or distilled variant against its parent, non-inferiority on the paired 95% CI of Δ per suite, no dialect left behind, generous speed and memory ceilings. Rule kinds: core/schemas/gate-policy.schema.json; all rules of the bundled suites: reports/gate/bundled-policy.json; the policy a run would derive: compbench gate RUN_DIR --print-policy.',
    minN: 20,
    simulated: 'skip',
    rules: [
      { id: 'knowledge-closed.noninferiority', description: 'closed-book facts: the share answered must not fall by more than 5 points (paired 95% CI).', kind: 'noninferiority', suite: 'knowledge-closed', metric: 'contains', margin: 0.05 },
      { id: 'reasoning.noninferiority', kind: 'noninferiority', suite: 'reasoning', metric: 'exact_match', margin: 0.05 },
      { id: 'fairness.noninferiority', kind: 'noninferiority', suite: 'fairness', metric: 'contains', margin: 0.05 },
      { id: 'fairness.dialect-noninferiority', description: 'per dialect slice; unpaired intervals are wider, so the margin is 0.12.', kind: 'noninferiority', suite: 'fairness', metric: 'contains', slice: { tag: 'dialect' }, margin: 0.12 },
      { id: 'rare-words.noninferiority', description: 'word_nll is nats per target word, lower is better: the rise must stay below 0.25 nats.', kind: 'noninferiority', suite: 'rare-words', metric: 'word_nll', margin: 0.25 },
      { id: 'latency', description: 'milliseconds per token at p99 on this machine.', kind: 'latency', decodeP99Ms: 100, prefillP99Ms: 1000 },
      { id: 'memory', description: 'peak resident memory of the measuring process: 2 GiB.', kind: 'memory', maxPeakRssBytes: 2147483648 },
    ],
  };
}
