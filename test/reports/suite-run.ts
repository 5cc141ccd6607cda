/**
 * A run folder from real suite folders without weights: a baseline and one "compressed"
 * variant, both the deterministic fake model, except that generate prompts whose answer
 * the suites know are answered right with a per-variant probability (so accuracies,
 * deltas and flips are not all zero). Cells are assembled exactly as `compbench run` does.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateRequest, GenerateResponse } from '../../core/requests.js';
import type { MeasurementRecord, RunRecord, VariantRecord } from '../../core/run-record.js';
import { assembleCells, suiteRecord, type CellOutcome } from '../../runners/matrix/assemble.js';
import { FakeModelAdapter } from '../../runners/fake-adapter.js';
import { answerRequests, buildRequests, loadSuite, scoreInstances, type InstanceRecord, type LoadedSuite } from '../../suites/index.js';
import { answerAliases } from '../../suites/kinds/answers.js';

/** The two variants of a suite run. */
export const SUITE_RUN_VARIANTS: readonly VariantRecord[] = [
  { id: 'base', model: 'base', method: 'none', params: {}, executionForm: 'reference', dir: 'models/base', modelSha256: 'a'.repeat(64), sizeBytes: 4_000_000 },
  { id: 'base/rtn-w4-g128', model: 'base', method: 'rtn', params: { bits: 4, groupSize: 128 }, executionForm: 'packed', dir: 'runs/variants/rtn-w4', modelSha256: 'b'.repeat(64), sizeBytes: 700_000 },
];

/** Share of known answers each variant gets right. */
const RIGHT = { base: 0.7, 'base/rtn-w4-g128': 0.55 } as const;

class KnowingFake extends FakeModelAdapter {
  constructor(seed: number, private readonly answers: ReadonlyMap<string, string>, private readonly right: number) {
    super(seed);
  }

  override async generate(requests: readonly GenerateRequest[]): Promise<GenerateResponse[]> {
    const fake = await super.generate(requests);
    return requests.map((r, i) => {
      const answer = this.answers.get(r.prompt);
      const u = createHash('sha256').update(`${this.name}\n${r.prompt}`).digest().readUInt32BE(0) / 2 ** 32;
      return answer !== undefined && u < this.right ? { ...fake[i], text: answer, finishReason: 'stop' } : fake[i];
    });
  }
}

function knownAnswers(suites: readonly LoadedSuite[]): Map<string, string> {
  const answers = new Map<string, string>();
  for (const suite of suites) {
    if (suite.spec.kind !== 'generate') continue;
    buildRequests(suite).forEach((item, i) => {
      const req = item.requests[0];
      const alias = answerAliases(suite.instances[i].fields[suite.spec.answerField ?? ''])?.[0];
      if (req?.type === 'generate' && alias !== undefined) answers.set(req.request.prompt, alias);
    });
  }
  return answers;
}

function measured(v: VariantRecord, decodeMs: number): MeasurementRecord {
  const timing = (ms: number) => ({ samples: 50, meanMs: ms, p50Ms: ms, p90Ms: ms * 1.1, p95Ms: ms * 1.15, p99Ms: ms * 1.3 });
  return {
    state: 'measured', variantId: v.id, sizeBytes: v.sizeBytes, peakRssBytes: v.sizeBytes * 3, loadMs: 10, intraOpNumThreads: 2,
    prefill: { ...timing(decodeMs * 8), promptTokens: 64 },
    decode: { ...timing(decodeMs), tokens: 64, warmupTokens: 8, tokensPerS: 1000 / decodeMs },
    energy: { provenance: 'estimated', joules: 1, joulesPerToken: decodeMs / 100, tdpWattsPerCore: 10, cpuSeconds: 0.1, formula: 'E = TDP per core × process CPU seconds' },
  };
}

/** Evaluates the suites in `suiteDirs` (in that order) and writes run.json + instances.jsonl into `outDir`. */
export async function writeSuiteRun(suiteDirs: readonly string[], outDir: string, options: { measured?: boolean } = {}): Promise<RunRecord> {
  const suites = suiteDirs.map((d) => loadSuite(d));
  const answers = knownAnswers(suites);
  const outcomes = new Map<string, CellOutcome>();
  for (const [i, v] of SUITE_RUN_VARIANTS.entries()) {
    const model = new KnowingFake(i, answers, RIGHT[v.id as keyof typeof RIGHT]);
    for (const suite of suites) {
      const records = scoreInstances(suite, await answerRequests(model, buildRequests(suite)));
      outcomes.set(`${v.id}\n${suite.spec.id}`, { state: 'ok', records: new Map(records.map((r: InstanceRecord) => [r.instanceId, r])), durationMs: 1 });
    }
  }
  const ids = SUITE_RUN_VARIANTS.map((v) => v.id);
  const { cells, lines } = assembleCells(ids, (id) => (id === 'base' ? undefined : 'base'), suites, (v, s) => outcomes.get(`${v}\n${s}`)!, 1234);
  const record: RunRecord = {
    schemaVersion: 1, tool: 'compbench', runId: 'suite-run', createdAt: '2026-01-02T03:04:05.000Z',
    harness: { version: '0.1.0', gitSha: null },
    hardware: { cpuModel: 'test', cpuFlags: [], logicalCores: 2, memoryBytes: 1e9, os: 'linux', node: 'v20', onnxruntime: '1.30.0', executionProvider: 'cpu' },
    config: { seed: 1234 },
    baseline: 'base',
    variants: SUITE_RUN_VARIANTS,
    suites: suites.map(suiteRecord),
    cells,
    ...(options.measured ? { measurements: SUITE_RUN_VARIANTS.map((v, i) => measured(v, 20 - 5 * i)) } : {}),
    complete: cells.every((c) => c.state === 'ok'),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  writeFileSync(join(outDir, 'instances.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return record;
}

/**
 * Copies suite folders under new ids and folder names: `rename` maps each old id to its
 * new one (closedBookTwin follows). Returns the new folders in the order given.
 */
export function copySuitesRenamed(dirs: readonly string[], rename: Readonly<Record<string, string>>, into: string): string[] {
  return dirs.map((dir) => {
    const spec = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as Record<string, unknown>;
    const id = rename[spec.id as string];
    const target = join(into, `folder-of-${id}`);
    mkdirSync(target, { recursive: true });
    for (const name of readdirSync(dir)) if (name !== 'suite.json') cpSync(join(dir, name), join(target, name), { recursive: true });
    const renamed = { ...spec, id, ...(typeof spec.closedBookTwin === 'string' ? { closedBookTwin: rename[spec.closedBookTwin] } : {}) };
    writeFileSync(join(target, 'suite.json'), `${JSON.stringify(renamed, null, 2)}\n`);
    return target;
  });
}
