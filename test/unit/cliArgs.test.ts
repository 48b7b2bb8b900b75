import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import { booleanOption, intOption, parseCommand, stringListOption, stringOption, type Command, type ParsedCommand } from '../../main/cli/command.js';
import { commands } from '../../main/cli/commands/index.js';
import { exitCodeFor, formatBytes } from '../../main/cli/output.js';

const demo: Command = {
  name: 'demo',
  usage: 'demo <store> [<file>] [--from <pos>] [--param <p>]... [--backwards]',
  summary: 'a command for tests',
  options: { from: { type: 'string' }, param: { type: 'string', multiple: true }, backwards: { type: 'boolean' } },
  positionals: { min: 1, max: 2, names: '<store>' },
  run: () => Promise.resolve(0),
};

function usageErrorOf(fn: () => unknown): ConsoleError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).code).toBe('INVALID_INPUT');
    return error as ConsoleError;
  }
  throw new Error('expected a usage error');
}

const parsed = (...argv: string[]): ParsedCommand => parseCommand(demo, argv);

describe('parseCommand', () => {
  it('reads positionals, options and the global --json flag', () => {
    const p = parsed('store', 'file', '--from', '3', '--param', 'a=1', '--param', 'b=2', '--backwards', '--json');
    expect(p.positionals).toEqual(['store', 'file']);
    expect(p.json).toBe(true);
    expect(stringOption(p, 'from')).toBe('3');
    expect(stringListOption(p, 'param')).toEqual(['a=1', 'b=2']);
    expect(booleanOption(p, 'backwards')).toBe(true);
  });

  it('accepts --opt=value and options before positionals', () => {
    const p = parsed('--from=4', 'store');
    expect(p.positionals).toEqual(['store']);
    expect(stringOption(p, 'from')).toBe('4');
    expect(p.json).toBe(false);
    expect(booleanOption(p, 'backwards')).toBe(false);
    expect(stringListOption(p, 'param')).toEqual([]);
  });

  it('refuses an unknown flag, naming it and the usage', () => {
    const e = usageErrorOf(() => parsed('store', '--nope'));
    expect(e.message).toContain('--nope');
    expect(e.message).toContain('usage: pconsole demo');
  });

  it('refuses a string option without a value', () => {
    expect(usageErrorOf(() => parsed('store', '--from')).message).toContain('--from');
  });

  it('refuses a value given to a boolean flag', () => {
    usageErrorOf(() => parsed('store', '--backwards=yes'));
  });

  it('refuses missing positionals, naming them', () => {
    expect(usageErrorOf(() => parsed()).message).toMatch(/^missing <store>/);
  });

  it('refuses extra positionals, naming the first extra one', () => {
    expect(usageErrorOf(() => parsed('a', 'b', 'c')).message).toMatch(/^unexpected argument c/);
  });
});

describe('intOption', () => {
  it.each([
    ['0', 0, 0],
    ['7', 1, 7],
    ['9007199254740991', 0, Number.MAX_SAFE_INTEGER],
  ])('parses %j (min %i)', (text, min, value) => {
    expect(intOption(parsed('s', '--from', text), 'from', min)).toBe(value);
  });

  it('is undefined when the option is absent', () => {
    expect(intOption(parsed('s'), 'from', 0)).toBeUndefined();
  });

  it.each(['-1', '1.5', 'abc', '', '1e3', '0x10', ' 1', '9007199254740992'])('refuses %j with the option name', (text) => {
    expect(usageErrorOf(() => intOption(parsed('s', `--from=${text}`), 'from', 0)).message).toContain('--from must be a whole number');
  });

  it('refuses a value below the minimum', () => {
    expect(usageErrorOf(() => intOption(parsed('s', '--from', '0'), 'from', 1)).message).toContain('≥ 1');
  });
});

describe('exit codes (DESIGN §6)', () => {
  it('maps bad usage and missing things to 2, every other failure to 1', () => {
    expect(exitCodeFor('INVALID_INPUT')).toBe(2);
    expect(exitCodeFor('NOT_FOUND')).toBe(2);
    for (const code of ['WRONG_EXPECTED_VERSION', 'DUPLICATE_EVENT_ID', 'INTEGRITY_VIOLATION', 'ARCHIVE_CORRUPT', 'DECRYPTION_FAILED', 'BUSY', 'INTERNAL'] as const) {
      expect(exitCodeFor(code), code).toBe(1);
    }
  });
});

describe('the command table', () => {
  it('has the commands of DESIGN §6 implemented so far, each named once', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['init', 'append', 'import', 'read', 'export', 'stats', 'verify']));
  });

  it('declares no command flag that clashes with the global --json or --help', () => {
    for (const c of commands) {
      expect(Object.keys(c.options), c.name).not.toContain('json');
      expect(Object.keys(c.options), c.name).not.toContain('help');
      expect(c.usage.startsWith(c.name), c.name).toBe(true);
    }
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1,023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [1536 * 1024 ** 3, '1.5 TiB'],
  ])('%i bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
