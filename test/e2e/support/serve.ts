import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(REPO_ROOT, 'dist', 'main', 'cli', 'index.js');
export const SESSION_COOKIE = 'pconsole_session';

/** A `pconsole serve` child process on a temporary store, signed in once (the token is spent here). */
export interface ServedStore {
  readonly store: string;
  readonly origin: string;
  /** The session cookie the one-time token was exchanged for: the browser and the API client share it. */
  readonly session: string;
  /** Why the served store cannot be opened, as serve reported it at start (null: it opened). */
  readonly storeProblem: { readonly code: string; readonly message: string } | null;
  stop(): Promise<void>;
}

export function requireBuild(): void {
  for (const file of [CLI, join(REPO_ROOT, 'dist', 'renderer', 'index.html')])
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build before the e2e suite`);
}

/** Runs the CLI to completion (e.g. `append`, `stats`, `init`) and returns stdout; throws on a non-zero exit. */
export function cli(args: readonly string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`pconsole ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** Runs the CLI without blocking the test's event loop (the page keeps receiving pushes meanwhile). */
export function cliAsync(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`pconsole ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

export function tempStorePath(name: string): { readonly dir: string; readonly store: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pconsole-e2e-'));
  return { dir, store: join(dir, name) };
}

/** GET the sign-in URL and keep the session cookie from its 303 answer. */
function exchangeToken(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (res.statusCode !== 303 || cookie === undefined) reject(new Error(`signing in answered ${res.statusCode} without a session cookie`));
      else resolve(cookie.slice(SESSION_COOKIE.length + 1));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Starts `node dist/main/cli/index.js serve <store> --port 0 --json`, reads its one JSON line
 * ({url, origin, port, store}) and signs in with the URL's one-time token.
 */
export async function serveStore(store: string, options: { readonly role?: string; readonly removeDir?: string } = {}): Promise<ServedStore> {
  const args = [CLI, 'serve', store, '--port', '0', '--json', ...(options.role === undefined ? [] : ['--role', options.role])];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pconsole serve printed nothing in 20 s: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pconsole serve exited ${code}: ${stderr}`));
    });
  });
  const started = JSON.parse(first) as { url: string; origin: string; port: number; store: string; storeProblem?: { code: string; message: string } | null };
  const session = await exchangeToken(started.url);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    store: started.store,
    origin: started.origin,
    session,
    storeProblem: started.storeProblem ?? null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      if (options.removeDir !== undefined) rmSync(options.removeDir, { recursive: true, force: true });
    },
  };
}
