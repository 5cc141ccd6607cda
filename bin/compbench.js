#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript in dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("compbench: dist/cli.js not found; run 'npm run build' first\n");
  process.exit(3);
}
await import(cli.href);
