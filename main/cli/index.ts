#!/usr/bin/env node
import { ConsoleError } from '../../shared/errors.js';
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

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = new Output();
  try {
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
    return await command.run(parseCommand(command, rest), { out });
  } catch (error) {
    return printError(error, json);
  }
}

process.on('unhandledRejection', (error) => {
  process.exitCode = printError(error instanceof ConsoleError ? error : new ConsoleError('INTERNAL', `unhandled: ${String(error)}`), process.argv.includes('--json'));
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = printError(error, process.argv.includes('--json'));
  },
);
