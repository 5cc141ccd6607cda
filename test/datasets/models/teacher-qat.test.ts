/** The QAT-recovered teachers: the committed ONNX, log and teacher match the sha256 provenance.json records. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { packagePath } from '../../../core/paths.js';

const test = suite('datasets/models/teacher-qat');

interface Provenance {
  readonly id: string;
  readonly recoveredFrom: string;
  readonly grid: { readonly method: string; readonly bits: number; readonly group: number; readonly symmetric: boolean; readonly weights: string };
  readonly onnx: { readonly path: string; readonly sha256: string; readonly bytes: number };
  readonly teacher: { readonly path: string; readonly sha256: string };
  readonly log: { readonly path: string; readonly sha256: string };
  readonly steps: number;
  readonly seed: number;
}

const sha256 = (rel: string): string => createHash('sha256').update(readFileSync(packagePath(rel))).digest('hex');

for (const bits of [3, 2]) {
  const id = `teacher-qat-w${bits}`;
  const prov = JSON.parse(readFileSync(packagePath('datasets', 'models', id, 'provenance.json'), 'utf8')) as Provenance;

  test(`${id}: onnx/model.onnx matches the sha256 and size its provenance records`, () => {
    assert.is(prov.onnx.path, `datasets/models/${id}/onnx/model.onnx`);
    assert.is(statSync(packagePath(prov.onnx.path)).size, prov.onnx.bytes);
    assert.is(sha256(prov.onnx.path), prov.onnx.sha256);
  });

  test(`${id}: recovered from today's bundled teacher, against the rtn grid the matrix packs it with`, () => {
    assert.is(prov.recoveredFrom, 'teacher');
    assert.is(sha256(prov.teacher.path), prov.teacher.sha256, 'the teacher changed since the recovery: retrain (datasets/README.md)');
    assert.equal([prov.grid.method, prov.grid.bits, prov.grid.group, prov.grid.symmetric], ['rtn', bits, 32, false]);
    const config = JSON.parse(readFileSync(packagePath('runners', 'matrix', 'default-config.json'), 'utf8')) as {
      models: { id: string; recoveredFrom?: string }[]; methods: { method: string; bits?: unknown; group?: unknown; models?: string[] }[];
    };
    assert.is(config.models.find((m) => m.id === id)?.recoveredFrom, 'teacher');
    const entries = config.methods.filter((m) => m.models?.includes(id));
    assert.equal(entries.map((m) => [m.method, m.bits, m.group]), [['rtn', bits, 32]]);
  });

  test(`${id}: the training log matches its sha256 and records steps, seed, wall time and a loss curve`, () => {
    assert.is(sha256(prov.log.path), prov.log.sha256);
    const log = JSON.parse(readFileSync(packagePath(prov.log.path), 'utf8')) as {
      summary: { steps: number; seed: number; wall_s: number; teacher_onnx_sha256: string }; curve: { step: number; loss: number }[];
    };
    assert.is(log.summary.steps, prov.steps);
    assert.is(log.summary.seed, prov.seed);
    assert.ok(log.summary.wall_s > 0);
    assert.is(log.summary.teacher_onnx_sha256, prov.teacher.sha256);
    assert.is(log.curve[0].step, 0);
    assert.is(log.curve[log.curve.length - 1].step, prov.steps - 1);
    assert.ok(log.curve.every((c) => Number.isFinite(c.loss)));
  });
}

test.run();
