import { extname } from 'node:path';

/**
 * How the console's own files are served, the same in both shells: Electron's app:// protocol and serve
 * mode's HTTP server. One table of content types and one Content-Security-Policy, so the desktop window
 * and the browser run the renderer under the same rules; they differ only in what the page may connect to
 * (Electron: nothing, it talks over IPC; serve mode: its own WebSocket).
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The Content-Type of one of the console's files, by its extension; unknown kinds are opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's CSP: only its own scripts, styles, images and fonts; no frames of it elsewhere, no
 * forms, no plugins. `connect` lists what the page may open connections to; none means `'none'`.
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.length === 0 ? "'none'" : connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
