import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError, type Output } from './output.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly json: boolean;
}

export interface CommandContext {
  readonly out: Output;
}

/** One `pconsole` command: its usage line, flags, positional count and what it does. */
export interface Command {
  /** e.g. `append` or `backup create`. */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  readonly positionals: { readonly min: number; readonly max: number; readonly names: string };
  run(args: ParsedCommand, ctx: CommandContext): Promise<number>;
}

export function parseCommand(command: Command, argv: string[]): ParsedCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // All of parseArgs's words on one line: for `--port -1` the last of them says how to pass a value starting with a dash.
    throw usageError(`${(error as Error).message.split('\n').join(' ')}\nusage: pconsole ${command.usage}`);
  }
  const { positionals } = parsed;
  if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
    throw usageError(
      positionals.length < command.positionals.min
        ? `missing ${command.positionals.names}\nusage: pconsole ${command.usage}`
        : `unexpected argument ${positionals[command.positionals.max]}\nusage: pconsole ${command.usage}`,
    );
  }
  return { positionals, values: parsed.values as ParsedCommand['values'], json: parsed.values.json === true };
}

export function stringOption(args: ParsedCommand, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringListOption(args: ParsedCommand, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

/** A whole-number option, e.g. `--from 1`, from `min` to `max`; a clear usage error for anything else. */
export function intOption(args: ParsedCommand, name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max || !Number.isSafeInteger(Number(text)))
    throw usageError(`--${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}, got ${JSON.stringify(text.slice(0, 100))}`);
  return Number(text);
}

export function booleanOption(args: ParsedCommand, name: string): boolean {
  return args.values[name] === true;
}
