#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { ConsoleError } from '../../shared/errors.js';
import { decodeUtf8, describeInvalidUtf8 } from '../../shared/utf8.js';
import { parseCommand, type Command } from './command.js';
import { commands } from './commands/index.js';
import { Output, printError, usageError } from './output.js';

/** The version, for --help and --version only: the platform (and SQLite with it) loads when a command needs it. */
async function toolVersion(): Promise<string> {
  return (await import('../platform/index.js')).TOOL_VERSION;
}

function helpText(version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return (
    `pconsole ${version}: administration of a Persistence Console event store\n\n` +
    `usage: pconsole <command> [arguments] [--json]\n\n` +
    commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') +
    `\n\nRun pconsole <command> --help for its arguments. Exit codes: 0 ok, 1 failed or found a problem, 2 bad usage or input.\n`
  );
}

function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const two = `${argv[0] ?? ''} ${argv[1] ?? ''}`;
  const byTwo = commands.find((c) => c.name === two);
  if (byTwo !== undefined) return { command: byTwo, rest: argv.slice(2) };
  const byOne = commands.find((c) => c.name === argv[0]);
  if (byOne !== undefined) return { command: byOne, rest: argv.slice(1) };
  const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
  if (group.length > 0) throw usageError(`${argv[0]} needs one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}`);
  throw usageError(`unknown command ${JSON.stringify(argv[0])}; run pconsole --help for the list`);
}

/**
 * Refuses an argument whose bytes are not UTF-8. Node decodes the command line before any of our code
 * runs, turning such bytes into U+FFFD, so a stream id or type would be stored altered without a word;
 * where one holds U+FFFD, the bytes as given are read back from /proc/self/cmdline (Linux) to tell a
 * replacement from a U+FFFD that was typed.
 */
export function checkArgumentsAreUtf8(argv: readonly string[], cmdline: () => Buffer = () => readFileSync('/proc/self/cmdline')): void {
  if (!argv.some((a) => a.includes('\uFFFD'))) return;
  let raw: Buffer;
  try {
    raw = cmdline();
  } catch {
    return; // no /proc: the bytes cannot be told apart any more
  }
  const parts: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const end = raw.indexOf(0, start);
    parts.push(raw.subarray(start, end < 0 ? raw.length : end));
    start = end < 0 ? raw.length : end + 1;
  }
  const given = parts.slice(Math.max(0, parts.length - argv.length));
  given.forEach((bytes, i) => {
    if (decodeUtf8(bytes) !== undefined) return;
    const flag = i > 0 && argv[i - 1]!.startsWith('--') ? argv[i - 1]! : undefined;
    throw usageError(`${flag === undefined ? `argument ${i + 1}` : `the value of ${flag}`} is ${describeInvalidUtf8(bytes)}: names and data must be UTF-8`);
  });
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = new Output();
  try {
    checkArgumentsAreUtf8(argv);
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      await out.write(helpText(await toolVersion()));
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === '--version') {
      await out.write(`${await toolVersion()}\n`);
      return 0;
    }
    const { command, rest } = findCommand(argv);
    if (rest.includes('--help') || rest.includes('-h')) {
      await out.write(`usage: pconsole ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const code = await command.run(parseCommand(command, rest), { out });
    // Standard output failed under the command (a full disk behind `> file`): what it wrote is incomplete.
    if (out.failure !== undefined) return printError(out.failure, json);
    return code;
  } catch (error) {
    return printError(out.failure ?? error, json);
  }
}

// The last line of defence: a throw no command caught is a bug, printed as INTERNAL (with its stack in
// text mode) in the CLI's error format, with exit 1; never Node's own crash report.
process.on('uncaughtException', (error) => {
  process.exitCode = printError(error, process.argv.includes('--json'));
  process.exit();
});

process.on('unhandledRejection', (error) => {
  process.exitCode = printError(error instanceof ConsoleError ? error : new ConsoleError('INTERNAL', `unhandled: ${String(error)}`), process.argv.includes('--json'));
});

let settled = false;
main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    process.exitCode = printError(error, process.argv.includes('--json'));
  },
);

// Nothing is left to run but the command has not finished: it waited for something that will never come
// (an event already emitted). Node would exit 0 without a word, an `ok` for work not done: a bug, said so.
process.on('beforeExit', () => {
  if (settled) return;
  settled = true;
  process.exitCode = printError(new ConsoleError('INTERNAL', 'the command stopped before it finished (it waited for something that never came); what it did is unknown'), process.argv.includes('--json'));
});
