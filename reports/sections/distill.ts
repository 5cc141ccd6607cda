import { suitesRunBy } from '../../core/pairing.js';
import type { VariantRecord } from '../../core/run-record.js';
import { numCell, para, table, type Block } from '../document.js';
import { formatBytes, formatDifference, formatSummary } from '../format.js';
import type { InstanceLine } from '../load-run.js';
import { cellOf, metricOf, primaryMetric } from '../record-view.js';
import { answerOf } from './flips.js';
import type { BuiltSection, ReportInput } from './built.js';

/** Share of items (same instance, same content) where teacher and student give the same answer. */
export function answerAgreement(instances: readonly InstanceLine[], teacher: string, student: string, suiteId: string): { rate: number; n: number } | null {
  const byId = new Map<string, InstanceLine>();
  for (const l of instances) if (l.variantId === teacher && l.suiteId === suiteId && l.state === 'scored') byId.set(l.instanceId, l);
  let same = 0;
  let n = 0;
  for (const l of instances) {
    if (l.variantId !== student || l.suiteId !== suiteId || l.state !== 'scored') continue;
    const t = byId.get(l.instanceId);
    if (!t || t.instanceHash !== l.instanceHash) continue;
    const a = answerOf(t);
    if (a === 'n/a') continue;
    n++;
    if (a.trim() === answerOf(l).trim()) same++;
  }
  return n === 0 ? null : { rate: same / n, n };
}

/** Teacher vs student for every variant with `distilledFrom`: per-suite values, differences, answer agreement and size. */
export function distillSection({ record, instances }: ReportInput): BuiltSection {
  const blocks: Block[] = [];
  const students = record.variants.filter((v): v is VariantRecord & { distilledFrom: string } => typeof v.distilledFrom === 'string');
  if (students.length === 0) blocks.push(para('No variant in this run records a teacher (distilledFrom).'));
  for (const student of students) {
    const teacher = record.variants.find((v) => v.id === student.distilledFrom);
    if (!teacher) {
      blocks.push(para(`${student.id} was distilled from ${student.distilledFrom}, which is not in this run: no comparison.`, 'warn'));
      continue;
    }
    blocks.push(para(`${student.id} (${formatBytes(student.sizeBytes)}) distilled from ${teacher.id} (${formatBytes(teacher.sizeBytes)}): ${(student.sizeBytes / teacher.sizeBytes * 100).toFixed(1)}% of the teacher's size. Differences are unpaired (student − teacher); agreement is the share of items where both give the same answer.`));
    const rows = suitesRunBy(record, student.id).map((suite) => {
      const metric = primaryMetric(record, suite.id) ?? '';
      const t = metricOf(cellOf(record, teacher.id, suite.id), metric);
      const s = metricOf(cellOf(record, student.id, suite.id), metric);
      const unit = t?.unit ?? s?.unit ?? '';
      const diff = t?.overall.value != null && s?.overall.value != null ? s.overall.value - t.overall.value : null;
      const agree = answerAgreement(instances, teacher.id, student.id, suite.id);
      return [
        suite.id,
        metric,
        numCell(formatSummary(t?.overall, unit), t?.overall.value),
        numCell(formatSummary(s?.overall, unit), s?.overall.value),
        numCell(diff === null ? 'n/a' : formatDifference(diff, unit), diff),
        numCell(agree ? `${(agree.rate * 100).toFixed(1)}%, n=${agree.n}` : 'n/a', agree?.rate),
      ];
    });
    blocks.push(table({ id: `distill-${student.id}`, columns: ['suite', 'metric', `teacher ${teacher.id}`, `student ${student.id}`, 'student − teacher', 'answer agreement'], rows }));
  }
  return { section: { id: 'distill', title: 'Teacher–student comparison', blocks }, charts: [] };
}
