import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { ServerFrame } from '../../shared/api/wire.js';

/**
 * What the bad-input fault test (issue 9) sends and reads back: frames on an API socket with every answer
 * kept, raw HTTP requests, and the serve process's memory from /proc.
 */

/** An API socket that keeps every frame the server sent, and tells when it closed. */
export class ProbeSocket {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse((data as Buffer).toString('utf8')) as ServerFrame);
      this.wake();
    });
    socket.on('error', () => undefined); // writes may meet EPIPE once the server closed: only the close code counts
    socket.once('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static open(port: number, headers: Record<string, string>): Promise<ProbeSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
      socket.once('open', () => resolve(new ProbeSocket(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`the API socket was refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** Waits until `condition` holds or the socket closes; false after `ms`. */
  until(condition: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (condition() || this.closeCode !== undefined) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(true);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, ms);
      this.waiters.add(check);
      check();
    });
  }

  /** The result frame of `id`, once it arrives. */
  result(id: number): Extract<ServerFrame, { type: 'result' }> | undefined {
    return this.frames.find((f): f is Extract<ServerFrame, { type: 'result' }> => f.type === 'result' && f.id === id);
  }

  close(): void {
    this.socket.terminate();
  }
}

export interface HttpAnswer {
  /** The status of the first response line, or null when the server closed without one. */
  readonly status: number | null;
  readonly text: string;
  /** The server neither answered nor closed within the time given. */
  readonly hung: boolean;
}

/** Writes `request` as it is on a new TCP connection and reads what comes back until the server closes it (or `ms` pass). */
export function rawHttp(port: number, request: Buffer | string, ms: number): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (hung: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: status === null ? null : Number(status[1]), text, hung });
    };
    const timer = setTimeout(() => finish(chunks.length === 0), ms);
    socket.on('data', (b: Buffer) => {
      chunks.push(b);
      // One response is enough: the server may keep the connection open for the next request.
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) setTimeout(() => finish(false), 50);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('connect', () => socket.end(request));
  });
}

/** A process's resident memory now and at its peak (VmRSS, VmHWM), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** A short, printable account of a value for a finding (inputs may be megabytes). */
export function brief(value: unknown, max = 300): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
