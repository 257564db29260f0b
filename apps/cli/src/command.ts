// A small, dependency-free command framework over node:util parseArgs (strict: unknown flags
// and missing values are errors that name the flag).
import { parseArgs } from 'node:util';
import type { CliIo } from './io.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help, e.g. "NAME". */
  valueName?: string;
  description: string;
  default?: string | boolean;
  multiple?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments shown in the usage line, e.g. "FILE". */
  positionals: { name: string; description: string; required: boolean }[];
  options: Record<string, OptionSpec>;
  examples: string[];
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/** A mistake in how the command was called: printed with a pointer to --help, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliUsageError(`${(e as Error).message.replace(/\. To specify a positional.*$/s, '.')}`);
  }
  const required = spec.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    throw new CliUsageError(`missing ${spec.positionals[parsed.positionals.length]!.name}: ${usageLine(spec)}`);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    throw new CliUsageError(`unexpected argument "${parsed.positionals[spec.positionals.length]}": ${usageLine(spec)}`);
  }
  const values: ParsedArgs['values'] = { ...parsed.values };
  for (const [name, o] of Object.entries(spec.options)) {
    if (values[name] === undefined && o.default !== undefined) values[name] = o.default;
  }
  return { positionals: parsed.positionals, values };
}

export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ');
  return `tributary ${spec.name}${pos ? ` ${pos}` : ''} [options]`;
}

export function formatHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, '', spec.summary, ''];
  if (spec.positionals.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(24)}${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  const entries = Object.entries(spec.options);
  entries.push(['help', { type: 'boolean', short: 'h', description: 'Show this help.' }]);
  for (const [name, o] of entries) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    const dflt = o.default !== undefined && o.type === 'string' ? ` (default: ${String(o.default)})` : '';
    lines.push(`  ${flag.padEnd(24)}${o.description}${dflt}`);
  }
  if (spec.examples.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  return lines.join('\n') + '\n';
}

/** Reads a comma-separated list option ("a,b") into trimmed, non-empty names. */
export function listOption(value: unknown, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new CliUsageError(`--${flag} needs a comma-separated list of column names, e.g. --${flag} a,b`);
  return items;
}

/** Reads an option that takes one of `choices`, naming the flag and the choices on error. */
export function choiceOption<T extends string>(value: unknown, flag: string, choices: readonly T[]): T {
  const s = String(value);
  if ((choices as readonly string[]).includes(s)) return s as T;
  const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : String(choices[0]);
  throw new CliUsageError(`--${flag} must be ${list}, got "${s}"`);
}

/** Reads a number option in the open interval (0, 1) (a probability such as --target-accept). */
export function probabilityOption(value: unknown, flag: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new CliUsageError(`--${flag} must be a number in (0, 1), got "${String(value)}"`);
  return n;
}

/** Reads an integer option, naming the flag and the valid range on error. */
export function intOption(value: unknown, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const s = String(value);
  const n = Number(s);
  if (!/^-?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliUsageError(`--${flag} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${s}"`);
  }
  return n;
}
