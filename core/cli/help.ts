import { HELP_FLAG, type CommandSpec, type FlagSpec } from './flag-table.js';

/** `--name VALUE` as help shows it. */
function flagLabel(name: string, f: FlagSpec): string {
  return f.type === 'boolean' ? `--${name}` : `--${name} ${f.value ?? 'VALUE'}`;
}

/** `(default: …)` of a flag, in words. */
function defaultOf(f: FlagSpec): string {
  if (f.default !== undefined) return f.default;
  if (f.initial !== undefined) return f.initial;
  return f.type === 'boolean' ? 'off' : 'none';
}

/**
 * The help of one command: usage, one-line summary, every flag with its default, one
 * example, then the details; a command with subcommands lists them instead of flags.
 */
export function commandUsage(spec: CommandSpec): string {
  const lines = [`usage: compbench ${spec.name} ${spec.synopsis}`.trimEnd(), `  ${spec.summary}`];
  if (spec.subcommands) {
    lines.push('subcommands:');
    const width = Math.max(...spec.subcommands.map((s) => s.name.length));
    for (const s of spec.subcommands) lines.push(`  compbench ${s.name.padEnd(width)}  ${s.summary}`);
    lines.push(`run 'compbench ${spec.name} <subcommand> --help' for a subcommand's options`);
  } else {
    const entries: [string, FlagSpec][] = [...Object.entries(spec.flags), ['help', HELP_FLAG]];
    const width = Math.max(...entries.map(([n, f]) => flagLabel(n, f).length));
    lines.push('options:');
    for (const [name, f] of entries) {
      const tail = name === 'help' ? '' : f.default === 'required' ? ' (required)' : ` (default: ${defaultOf(f)})`;
      lines.push(`  ${flagLabel(name, f).padEnd(width)}  ${f.help}${tail}`);
    }
  }
  lines.push(`example: ${spec.example}`);
  for (const line of spec.details ?? []) lines.push(`  ${line}`);
  return lines.join('\n');
}

/** `compbench --help`: every command with its one-line summary and an example. */
export function overviewUsage(specs: readonly CommandSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length));
  return [
    'usage: compbench <command> [options]',
    'commands:',
    ...specs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "run 'compbench <command> --help' for a command's options, their defaults and an example",
    'example: compbench init my-eval && compbench run --config my-eval/compbench.config.json --out runs/mine',
  ].join('\n');
}
