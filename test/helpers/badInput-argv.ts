import fc from 'fast-check';
import type { Command } from '../../main/cli/command.js';
import { hostileString } from './badInput-values.js';

/**
 * Random command lines for every `pconsole` command (issue 9, bad input everywhere): its words, then
 * positionals and flags from its own `options` in any order and number, with values that are files of the
 * sandbox, special files, numbers out of range, hostile text — and sometimes a flag it does not know.
 * Nothing names a file outside the sandbox: the CLI runs there, and values are never absolute elsewhere.
 */

/** Text safe to put on a command line inside the sandbox: no NUL (spawn refuses it), no absolute path, no `..`. */
const argText: fc.Arbitrary<string> = hostileString.map((s) => s.replace(/\0/g, '').replace(/\.\./g, '__').replace(/^\/+/, '').slice(0, 100_000));

/** Flags whose values are numbers, JSON, names or times: given one of those most of the time, so the work behind the parser is reached. */
const NUMERIC = new Set(['from', 'to', 'limit', 'position', 'batch-size', 'keep-last', 'daily', 'weekly', 'monthly', 'compression-level', 'port', 'expected-version']);
const SHAPED: Readonly<Record<string, fc.Arbitrary<string>>> = {
  data: fc.constantFrom('{}', '{"a":1}', '{"n":[1,2,3]}', '{"__proto__":{"polluted":true}}', '[1]'),
  metadata: fc.constantFrom('{}', '{"by":"fuzz"}', '"text"'),
  stream: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  type: fc.stringMatching(/^[A-Z][A-Za-z]{0,12}$/),
  'event-id': fc.uuid(),
  time: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  role: fc.constantFrom('viewer', 'auditor', 'operator', 'admin'),
  host: fc.constantFrom('127.0.0.1', 'localhost', '::1'),
};

/** The files of the sandbox that a positional or flag most likely wants, by its name (`<store>`, `--trust-key`, …). */
export interface SandboxFiles {
  readonly all: readonly string[];
  readonly byName: Readonly<Record<string, readonly string[]>>;
}

export function argvFor(command: Command, sandbox: SandboxFiles): fc.Arbitrary<string[]> {
  const files = sandbox.all;
  const fileFor = (name: string) => {
    const wanted = sandbox.byName[name.replace(/[<>.]/g, '')];
    return wanted === undefined ? fc.constantFrom(...files) : fc.oneof({ arbitrary: fc.constantFrom(...wanted), weight: 3 }, { arbitrary: fc.constantFrom(...files), weight: 1 });
  };
  const value = fc.oneof(
    { arbitrary: fc.constantFrom(...files, '-', '/dev/zero', '/dev/null', '/proc/self/status', '/proc/self/mem'), weight: 4 },
    { arbitrary: fc.oneof(fc.integer(), fc.constantFrom('0', '-1', '1.5', '1e3', '9007199254740993', '0x10', ' 1', '')).map(String), weight: 2 },
    { arbitrary: fc.constantFrom('{}', '[]', 'null', '{"a":', '{"__proto__":{"x":1}}', '2026-13-01T00:00:00Z', '2026-03-01T10:00:00Z', 'viewer', 'admin', '127.0.0.1', '0.0.0.0', 'age1qqqq'), weight: 2 },
    { arbitrary: argText, weight: 3 },
  );
  const goodFor = (name: string): fc.Arbitrary<string> => (NUMERIC.has(name) ? fc.integer({ min: -2, max: 500 }).map(String) : (SHAPED[name] ?? fileFor(name)));
  const names = Object.keys(command.options);
  const knownFlag = (name: string): fc.Arbitrary<string[]> =>
    command.options[name]!.type === 'boolean' ? fc.constant([`--${name}`]) : fc.oneof({ arbitrary: goodFor(name), weight: 2 }, { arbitrary: value, weight: 1 }).map((v) => [`--${name}`, v]);
  // Mostly the command's own shape (its positionals, its flags with values), so the corpus reaches the work
  // behind the parser; some of the time noise: a flag without its value, an unknown one, `--name=value`.
  const noise = fc.oneof(
    fc.constantFrom(...names, 'no-such-flag', 'json', 'help').map((name) => [`--${name}`]),
    fc.tuple(fc.constantFrom(...names, 'x'), value).map(([name, v]) => [`--${name}=${v}`]),
    value.map((v) => [v]),
  );
  const positionalNames = command.positionals.names.split(' ');
  const positionalAt = (i: number) => fc.oneof({ arbitrary: fileFor(positionalNames[Math.min(i, positionalNames.length - 1)] ?? ''), weight: 3 }, { arbitrary: value, weight: 1 });
  const positionals = fc
    .integer({ min: command.positionals.min, max: Math.min(command.positionals.max, command.positionals.min + 1) })
    .chain((n): fc.Arbitrary<string[]> => (n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => positionalAt(i))).map((t) => [...t])));
  const flags: fc.Arbitrary<string[][]> =
    names.length === 0 ? fc.constant([]) : fc.uniqueArray(fc.constantFrom(...names), { maxLength: Math.min(names.length, 4) }).chain((picked) => (picked.length === 0 ? fc.constant([]) : fc.tuple(...picked.map(knownFlag))));
  const extra = fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(noise, { minLength: 1, maxLength: 2 }), weight: 1 });
  return fc.tuple(positionals, flags, extra, fc.boolean()).map(([p, f, x, json]) => [...command.name.split(' '), ...p, ...f.flat(), ...x.flat(), ...(json ? ['--json'] : [])]);
}
