import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PACKAGE_ROOT } from '../../core/paths.js';

const test = suite('import directions (STYLE.md principle 14)');

/** Which top-level folders each folder may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  kernels: ['core'],
  datasets: ['core'],
  suites: ['core'],
  runners: ['core', 'kernels', 'datasets', 'suites'],
  reports: ['core'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/u.test(name) ? [path] : [];
  });
}

test('each source folder imports only the folders it may', () => {
  const violations: string[] = [];
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    for (const file of sources(join(PACKAGE_ROOT, folder))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/gu)) {
        const target = relative(PACKAGE_ROOT, resolve(dirname(file), m[1])).split(/[/\\]/u)[0];
        if (target !== folder && !allowed.includes(target)) violations.push(`${relative(PACKAGE_ROOT, file)} imports ${m[1]} (${target})`);
      }
    }
  }
  assert.equal(violations, []);
});

test('the checker sees imports (it can fail)', () => {
  const files = sources(join(PACKAGE_ROOT, 'runners'));
  const crossings = files.filter((f) => /from '\.\.\/(?:\.\.\/)?(?:core|suites|kernels)\//u.test(readFileSync(f, 'utf8')));
  assert.ok(crossings.length > 0, 'runners import core/suites/kernels somewhere');
});

test.run();
