import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { ConsoleError } from '../../shared/errors.js';
import { systemErrorInfo } from '../../shared/systemErrors.js';
import type { Role } from '../../shared/security.js';
import type { ApiPipeline } from '../api/index.js';
import type { DownloadRegistry } from '../host/index.js';
import { contentSecurityPolicy, contentTypeFor, readFileBounded } from '../platform/index.js';
import { allowedHosts, isLoopback, SESSION_COOKIE, TokenAuth } from './auth.js';
import { startLoopStats } from './loopStats.js';
import { serveRpc, stderrLog, type ServeLog } from './rpc.js';

export interface ServeOptions {
  readonly pipeline: ApiPipeline;
  readonly staticDir: string;
  readonly host?: string;
  readonly port?: number;
  /** The role of whoever opens the printed URL. */
  readonly role?: Role;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Required to bind a non-loopback address without TLS. */
  readonly allowInsecureRemote?: boolean;
  /** One-time archive downloads (`/download/<token>`), behind the session cookie like everything else. */
  readonly downloads?: DownloadRegistry;
  /** Where refused clients are reported, one line each (default: stderr). */
  readonly log?: ServeLog;
}

export interface RunningServer {
  /** The URL to open, with the one-time token. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly auth: TokenAuth;
  close(): Promise<void>;
}

function securityHeaders(wsOrigin: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(["'self'", wsOrigin]),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/**
 * Serve mode: the console's static files and its WebSocket API on one port. Loopback unless told
 * otherwise (and then only with TLS or an explicit flag); a one-time token exchanged for a cookie; the
 * Host header checked against DNS rebinding and the Origin of WebSocket upgrades against cross-site use.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.tls === undefined && options.allowInsecureRemote !== true) {
    throw new ConsoleError('INVALID_INPUT', `refusing to serve on ${host} without TLS: pass --tls-cert and --tls-key, or --insecure-remote if the network is trusted`);
  }
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new ConsoleError('NOT_FOUND', `the console's files are missing from ${options.staticDir}: run npm run build`);
  }
  const tlsFiles = options.tls === undefined ? undefined : await loadTls(options.tls);
  const log = options.log ?? stderrLog;
  const stopLoopStats = startLoopStats();
  const auth = new TokenAuth();
  const principal = { name: `serve-${options.role ?? 'admin'}`, role: options.role ?? 'admin', transport: 'serve' as const };
  const secure = options.tls !== undefined;
  let port = options.port ?? 0;
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const headers = securityHeaders(`${secure ? 'wss' : 'ws'}://${request.headers.host ?? ''}`);
    if (!hosts.has(request.headers.host ?? '')) return deny(response, 421, 'This server only answers to its own loopback address.', headers);
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return deny(response, 405, 'Only GET is served here.', headers);
    const token = url.searchParams.get('token');
    if (token !== null) {
      const session = auth.exchange(token);
      if (session === undefined) return deny(response, 401, 'This sign-in link was already used or is wrong. Restart pconsole serve for a new one.', headers);
      response.writeHead(303, {
        ...headers,
        Location: '/',
        'Set-Cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`,
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    if (!auth.isSession(request)) return deny(response, 401, 'Open the URL printed by pconsole serve to sign in.', headers);
    if (url.pathname.startsWith('/download/')) return serveDownload(options.downloads, url.pathname.slice('/download/'.length), response, headers);
    serveStatic(options.staticDir, url.pathname, request, response, headers);
  };

  const server: Server = tlsFiles === undefined ? createHttpServer(handle) : createHttpsServer(tlsFiles, handle);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });

  server.on('upgrade', (request, socket, head) => {
    // Node hands an upgrading socket over without its error listener: a client that resets the
    // connection while it is refused here would otherwise throw and end the process.
    socket.on('error', () => socket.destroy());
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hosts.has(request.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (!origins.has(request.headers.origin ?? '')) return reject(403, 'Forbidden');
    if (!auth.isSession(request)) return reject(401, 'Unauthorized');
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/api') return reject(404, 'Not Found');
    wss.handleUpgrade(request, socket, head, (ws) => serveRpc(ws, options.pipeline, principal, log));
  });

  try {
    await listen(server, port, host);
  } catch (error) {
    stopLoopStats();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host, port);
  origins = new Set([...hosts].map((h) => `${secure ? 'https' : 'http'}://${h}`));
  const displayHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const origin = `${secure ? 'https' : 'http'}://${displayHost}:${port}`;

  return {
    url: `${origin}/?token=${auth.startToken}`,
    origin,
    port,
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => {
          stopLoopStats();
          resolve();
        });
      }),
  };
}

/**
 * Binds, or says in our codes why not: a port in use (BUSY), a host that does not resolve or is not an
 * address of this machine (INVALID_INPUT), a port this user may not bind (PERMISSION_DENIED).
 */
function listen(server: Server, port: number, host: string): Promise<void> {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) return Promise.reject(new ConsoleError('INVALID_INPUT', `the port must be a whole number from 0 to 65535, got ${port}`));
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') return reject(new ConsoleError('BUSY', `port ${port} is in use: pass --port with a free one`, { port, host }));
      const system = systemErrorInfo(error);
      reject(system === undefined ? error : new ConsoleError(system.code, `cannot serve on ${host}:${port}: ${system.message}`, { ...system.details, port, host }));
    });
    server.listen(port, host, () => resolve());
  });
}

/** Whether a PEM key says it is encrypted: PKCS#8 `ENCRYPTED PRIVATE KEY`, or a traditional key's `Proc-Type: 4,ENCRYPTED`. */
function isEncryptedPem(key: Buffer): boolean {
  const text = key.toString('latin1');
  return text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /^Proc-Type:\s*4,ENCRYPTED/m.test(text);
}

/** A certificate or key file is a few KiB; a chain with intermediates a few more. */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

/**
 * The certificate and key for HTTPS, each checked on its own so the message names the file that is wrong:
 * not PEM, not a certificate, an encrypted key, a key that is not the certificate's.
 */
async function loadTls(tls: NonNullable<ServeOptions['tls']>): Promise<{ cert: Buffer; key: Buffer }> {
  const [cert, key] = await Promise.all([
    readFileBounded(tls.certFile, { what: `--tls-cert ${tls.certFile}`, maxBytes: MAX_TLS_FILE_BYTES, limitReason: 'that is no certificate' }),
    readFileBounded(tls.keyFile, { what: `--tls-key ${tls.keyFile}`, maxBytes: MAX_TLS_FILE_BYTES, limitReason: 'that is no key' }),
  ]);
  try {
    new X509Certificate(cert);
  } catch (error) {
    throw new ConsoleError('INVALID_INPUT', `--tls-cert ${tls.certFile} is not a certificate in PEM (or DER) form: ${tlsReason(error)}`, { file: tls.certFile });
  }
  try {
    createPrivateKey(key);
  } catch (error) {
    // Node says ERR_MISSING_PASSPHRASE for some encrypted keys and only OpenSSL's "interrupted or
    // cancelled" (its passphrase prompt refused) for PKCS#8 ones: the PEM headers tell them apart.
    const code = (error as { code?: unknown }).code;
    const encrypted = code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED' || isEncryptedPem(key);
    throw new ConsoleError(
      'INVALID_INPUT',
      encrypted
        ? `--tls-key ${tls.keyFile} is encrypted with a passphrase: give the key unencrypted (e.g. openssl pkey -in key.pem -out plain.pem), readable only by this user`
        : `--tls-key ${tls.keyFile} is not a private key in PEM form: ${tlsReason(error)}`,
      { file: tls.keyFile },
    );
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const mismatch = (error as { code?: unknown }).code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH';
    throw new ConsoleError(
      'INVALID_INPUT',
      mismatch ? `--tls-key ${tls.keyFile} is not the key of the certificate in --tls-cert ${tls.certFile}` : `--tls-cert and --tls-key cannot be used together: ${tlsReason(error)}`,
      { certFile: tls.certFile, keyFile: tls.keyFile },
    );
  }
  return { cert, key };
}

/** OpenSSL's reason without its routing prefix ("error:0480006C:PEM routines::no start line" → "no start line"). */
function tlsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '');
}

function deny(response: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${status}: ${message}\n`);
}

function serveDownload(downloads: DownloadRegistry | undefined, token: string, response: ServerResponse, headers: Record<string, string>): void {
  const link = downloads?.take(token);
  if (link === undefined) return deny(response, 404, 'This download link was already used or has expired: ask for a new one.', headers);
  let size: number;
  try {
    size = statSync(link.path).size;
  } catch {
    return deny(response, 404, 'The archive is no longer there.', headers);
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename="${link.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'Cache-Control': 'no-store',
  });
  createReadStream(link.path).pipe(response);
}

/** The console's own files are few and small (about 1 MB with source maps): kept in memory once read. */
const fileCache = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly body: Buffer }>();

function cachedFile(file: string, mtimeMs: number, size: number): Buffer {
  const cached = fileCache.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs && cached.size === size) return cached.body;
  // A rebuild while serving changes mtime and size: the new file is read.
  const body = readFileSync(file);
  fileCache.set(file, { mtimeMs, size, body });
  return body;
}

function serveStatic(root: string, pathname: string, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): void {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return deny(response, 400, 'Bad path.', headers);
  }
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root) + sep) || relative.includes('\0')) return deny(response, 404, 'Not found.', headers);
  let body: Buffer;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return deny(response, 404, 'Not found.', headers);
    body = cachedFile(file, stat.mtimeMs, stat.size);
  } catch {
    return deny(response, 404, 'Not found.', headers);
  }
  const immutable = relative.startsWith('/assets/');
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeFor(file),
    'Content-Length': body.length,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
