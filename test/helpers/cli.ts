import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { CLI_PATH, REPO_ROOT } from './paths.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Written to the child's stdin, which is then closed (stdin is always closed). */
  readonly input?: string | Buffer;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/**
 * Collects a child's output until it closes, killing it with SIGKILL after `timeoutMs`: the one way every
 * test helper here runs a process to its end.
 */
export function collectOutput(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs `node dist/main/cli/index.js ...args` as a child process and collects its output. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run npm run build:main first`);
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const result = collectOutput(child, options.timeoutMs);
  child.stdin.on('error', () => undefined); // the CLI may exit before reading all of its input
  child.stdin.end(options.input ?? '');
  return result;
}

/** Runs the CLI, expects exit 0 and one JSON document on stdout, and returns it. */
export async function runCliJson<T = Record<string, unknown>>(args: readonly string[], options: CliOptions = {}): Promise<T> {
  const result = await runCli([...args, '--json'], options);
  expect(result.stderr, `stderr of pconsole ${args.join(' ')}`).toBe('');
  expect(result.code, `exit code of pconsole ${args.join(' ')}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

export interface CliErrorJson {
  readonly error: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> };
}

/**
 * Runs the CLI with --json, expects the given exit code, nothing on stdout and one
 * `{"error":{"code","message","details"}}` document on stderr, and returns that error.
 */
export async function runCliError(args: readonly string[], exitCode: 1 | 2, options: CliOptions = {}): Promise<CliErrorJson['error']> {
  const result = await runCli([...args, '--json'], options);
  expect(result.code, `exit code of pconsole ${args.join(' ')}; stderr: ${result.stderr}`).toBe(exitCode);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const parsed = JSON.parse(lines[0]!) as CliErrorJson;
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(typeof parsed.error.code).toBe('string');
  expect(typeof parsed.error.message).toBe('string');
  expect(parsed.error.message.length).toBeGreaterThan(0);
  expect(typeof parsed.error.details).toBe('object');
  expect(parsed.error.code).not.toBe('INTERNAL');
  return parsed.error;
}

/** Parses NDJSON output into objects (an empty output is no lines). */
export function parseNdjson<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}
