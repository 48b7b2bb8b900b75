import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { ClientFrame, Result, ServerFrame } from '../../shared/api/wire.js';
import { CLI_PATH, REPO_ROOT } from './paths.js';

export interface ServeProcess {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  /** The rest of the `--json` start document (store, role, storeProblem, …). */
  readonly started: Readonly<Record<string, unknown>>;
  readonly child: ChildProcess;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `pconsole serve <store> --port 0 --json` and waits for its first line ({url, origin, port}). */
export function startServe(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', ...args, '--port', '0', '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const info = JSON.parse(line) as { url: string; origin: string; port: number } & Record<string, unknown>;
      resolve({
        url: info.url,
        origin: info.origin,
        port: info.port,
        started: info,
        child,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Exchanges the one-time link for the session cookie, as a browser would. */
export async function signIn(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 303 || cookie === null) throw new Error(`sign-in failed: ${response.status}`);
  return cookie.split(';')[0]!;
}

/** Opens the API WebSocket with the given headers; resolves with 'open' or the HTTP status that refused it. */
export function openSocket(port: number, headers: Record<string, string>): Promise<{ opened: true; socket: WebSocket } | { opened: false; status: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ opened: false, status: 0 }));
  });
}

/** Calls a method over an open API socket and resolves with its result (`{ ok, value } | { ok: false, error }`). */
export function callOverSocket(socket: WebSocket, id: number, method: string, input: unknown = {}): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as ServerFrame;
      if (frame.type !== 'result' || frame.id !== id) return;
      socket.off('message', onMessage);
      resolve(frame.result);
    };
    socket.on('message', onMessage);
    const call: ClientFrame = { type: 'call', id, method, input };
    socket.send(JSON.stringify(call));
  });
}
