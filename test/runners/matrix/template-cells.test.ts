/** Which cells a run scores under template variants: the parents by default, every variant with --all-templates. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRunConfig } from '../../../runners/matrix/config.js';
import { modelSuitePicker } from '../../../runners/matrix/model-suites.js';
import { planVariants } from '../../../runners/matrix/plan.js';
import { loadSuites } from '../../../runners/matrix/precheck.js';
import { planTemplateCells } from '../../../runners/matrix/template-cells.js';

const test = suite('runners/matrix/template-cells');

test('the bundled default: the two parents of knowledge-closed (teacher, student) under its 2 template variants (4 extra cells); --all-templates: every variant that runs it', () => {
  const config = loadRunConfig(undefined);
  const plans = planVariants(config);
  const picker = modelSuitePicker(config, loadSuites(config, (s) => s).suites);
  const models = new Map(plans.map((p) => [p.id, p.model]));
  const suitesOf = (id: string): ReturnType<typeof picker.suites> => picker.suites(models.get(id)!);
  const cells = planTemplateCells(plans, suitesOf, false);
  assert.equal(cells.map((c) => `${c.variantId} × ${c.suite.spec.id} @${c.template}`), [
    'teacher × knowledge-closed @no-instruction', 'teacher × knowledge-closed @reworded',
    'student × knowledge-closed @no-instruction', 'student × knowledge-closed @reworded',
  ]);
  // Each is the suite under its template: its own hash, the same instances.
  const primary = suitesOf('teacher').find((s) => s.spec.id === 'knowledge-closed')!;
  assert.ok(cells.every((c) => c.suite.hash !== primary.hash && c.suite.instances === primary.instances && c.suite.templateId === c.template));
  const all = planTemplateCells(plans, suitesOf, true);
  const runners = plans.filter((p) => suitesOf(p.id).some((s) => s.spec.id === 'knowledge-closed'));
  assert.is(all.length, 2 * runners.length);
});

test.run();
