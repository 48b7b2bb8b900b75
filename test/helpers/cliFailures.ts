import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { expect } from 'vitest';
import { exitCodeFor } from '../../main/cli/output.js';
import { ERROR_HINTS, type ErrorCode } from '../../shared/errors.js';
import { collectOutput, runCli, runCliError, type CliErrorJson, type CliOptions, type CliResult } from './cli.js';
import { CLI_PATH, REPO_ROOT } from './paths.js';

/**
 * What the CLI contract promises for a failure (issue 9, class 6): in text mode one `error CODE: message`
 * line (a usage error adds its usage line) and the code's hint, nothing on stdout, no stack trace.
 */
export function expectOneErrorLine(result: CliResult, code: ErrorCode): void {
  expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(exitCodeFor(code));
  expect(result.stdout).toBe('');
  const lines = result.stderr.replace(/\n$/, '').split('\n');
  expect(lines[0], result.stderr).toMatch(new RegExp(`^error ${code}: \\S`));
  expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(lines.filter((l) => l.startsWith('error ')), result.stderr).toHaveLength(1);
  expect(lines.at(-1), result.stderr).toBe(`  ${ERROR_HINTS[code]}`);
  const middle = lines.slice(1, -1);
  expect(middle.every((l) => l.startsWith('usage: pconsole ')), result.stderr).toBe(true);
  expect(middle.length).toBeLessThanOrEqual(1);
}

/**
 * Runs the CLI twice, with --json and without: the stable code and its exit code (output.ts exitCodeFor),
 * never INTERNAL, one JSON error document, and in text mode one error line. Returns the JSON error.
 */
export async function expectCliFailure(args: readonly string[], code: ErrorCode, message?: RegExp, options: CliOptions = {}): Promise<CliErrorJson['error']> {
  const error = await runCliError(args, exitCodeFor(code), options);
  expect(error.code, error.message).toBe(code);
  if (message !== undefined) expect(error.message).toMatch(message);
  const text = await runCli(args, options);
  expectOneErrorLine(text, code);
  return error;
}

export interface SpawnedResult extends CliResult {
  readonly elapsedMs: number;
}

/**
 * Runs any command line (a shell for raw argument bytes, setpriv for another user, /usr/bin/time around
 * the CLI), optionally fed from a stream, and collects its output. The node of this process and the
 * built CLI are `$NODE` and `$CLI` in its environment.
 */
export async function spawnCommand(command: string, args: readonly string[], options: { readonly stdin?: Readable; readonly timeoutMs?: number } = {}): Promise<SpawnedResult> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', NODE: process.execPath, CLI: CLI_PATH } });
  const result = collectOutput(child, options.timeoutMs);
  // The CLI stops reading as soon as it has refused its input: the rest of it is not ours to deliver.
  child.stdin.on('error', () => undefined);
  if (options.stdin === undefined) child.stdin.end();
  else options.stdin.pipe(child.stdin);
  try {
    return { ...(await result), elapsedMs: Date.now() - started };
  } finally {
    options.stdin?.destroy();
  }
}

/** The CLI (node dist/main/cli/index.js) with its arguments, as a spawnCommand argument list. */
export function cliCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [CLI_PATH, ...args]];
}
