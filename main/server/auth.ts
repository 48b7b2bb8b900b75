import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'pconsole_session';

/**
 * Serve-mode authentication: a random one-time token, printed at start, is exchanged for a session
 * cookie (HttpOnly, SameSite=Strict). Only the holder of the printed URL gets in, and the token in a
 * browser history or a shoulder-surfed terminal is useless once used.
 */
export class TokenAuth {
  private token: string | undefined = randomBytes(24).toString('base64url');
  private readonly sessions = new Set<string>();

  get startToken(): string {
    if (this.token === undefined) throw new Error('the start token was already used');
    return this.token;
  }

  /** Exchanges the one-time token for a new session id, or undefined when the token is wrong or used. */
  exchange(candidate: string): string | undefined {
    if (this.token === undefined || !safeEqual(candidate, this.token)) return undefined;
    this.token = undefined;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  /** Issues a fresh one-time token (e.g. `pconsole serve` prints another on request). */
  renewToken(): string {
    this.token = randomBytes(24).toString('base64url');
    return this.token;
  }

  isSession(request: IncomingMessage): boolean {
    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    return session !== undefined && this.sessions.has(session);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The Host header must name this server as the admin reached it (DNS-rebinding defence): a page on
 * evil.example that resolves to 127.0.0.1 still sends `Host: evil.example`.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const hosts = new Set<string>([`${bindHost}:${port}`]);
  if (isLoopback(bindHost)) for (const h of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${h}:${port}`);
  return hosts;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
