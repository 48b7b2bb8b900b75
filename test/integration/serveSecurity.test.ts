import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { openSocket, signIn, startServe, type ServeProcess } from '../helpers/serve.js';
import { useTempDirs } from '../helpers/tempDirs.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A raw GET with a chosen Host header (fetch forbids setting Host). */
function getWithHost(port: number, path: string, host: string, cookie?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host, ...(cookie === undefined ? {} : { Cookie: cookie }) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve mode security', () => {
  let server: ServeProcess;
  let storeDir: string;

  beforeAll(async () => {
    storeDir = join(mkdtempSync(join(tmpdir(), 'pconsole-serve-')), 'store');
    await runCli(['init', storeDir]);
    server = await startServe([storeDir]);
  });

  afterAll(async () => {
    await server.stop();
    rmSync(join(storeDir, '..'), { recursive: true, force: true });
  });

  it('binds to loopback and prints a one-time sign-in URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('answers 401 without a session, with a strict CSP on every response', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(401);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.origin}/?token=wrong-token`, { redirect: 'manual' })).status).toBe(401);
  });

  it('exchanges the token once for an HttpOnly SameSite=Strict cookie, then serves the console', async () => {
    const response = await fetch(server.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const page = await fetch(`${server.origin}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="root">');
    // The token is spent.
    expect((await fetch(server.url, { redirect: 'manual' })).status).toBe(401);
    // And the cookie opens the API WebSocket from our own origin only.
    const ok = await openSocket(server.port, { Cookie: cookie, Origin: server.origin });
    expect(ok.opened).toBe(true);
    if (ok.opened) {
      const answer = await new Promise<unknown>((resolve) => {
        ok.socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8'))));
        ok.socket.send(JSON.stringify({ type: 'call', id: 1, method: 'session.info', input: {} }));
      });
      expect(answer).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { principal: { role: 'admin', transport: 'serve' } } } });
      const bad = await new Promise<unknown>((resolve) => {
        ok.socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8'))));
        ok.socket.send('{not json');
      });
      expect(bad).toMatchObject({ type: 'result', result: { ok: false, error: { code: 'INVALID_INPUT' } } });
      ok.socket.close();
    }
    const foreign = await openSocket(server.port, { Cookie: cookie, Origin: 'http://evil.example' });
    expect(foreign).toEqual({ opened: false, status: 403 });
    const noCookie = await openSocket(server.port, { Origin: server.origin });
    expect(noCookie).toEqual({ opened: false, status: 401 });
    const rebound = await openSocket(server.port, { Cookie: cookie, Origin: server.origin, Host: `evil.example:${server.port}` });
    expect(rebound).toEqual({ opened: false, status: 421 });
    expect(await getWithHost(server.port, '/', `evil.example:${server.port}`, cookie)).toBe(421);
    expect(await getWithHost(server.port, '/', `localhost:${server.port}`, cookie)).toBe(200);
    expect(await getWithHost(server.port, '/%2e%2e/%2e%2e/package.json', `127.0.0.1:${server.port}`, cookie)).toBe(404);
    expect(await getWithHost(server.port, '/../../package.json', `127.0.0.1:${server.port}`, cookie)).toBe(404);
  });
});

describe('serve mode refuses unsafe binds', () => {
  const temp = useTempDirs();

  it('refuses a non-loopback address without TLS or --insecure-remote (exit 2)', async () => {
    const store = temp.path();
    await runCli(['init', store]);
    const result = await runCli(['serve', store, '--host', '0.0.0.0', '--port', '0', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(JSON.parse(result.stderr).error.message).toMatch(/TLS/);
  });

  it('signs in viewers with the viewer role when asked', async () => {
    const store = temp.path();
    await runCli(['init', store]);
    const viewer = await startServe([store, '--role', 'viewer']);
    try {
      const cookie = await signIn(viewer.url);
      const opened = await openSocket(viewer.port, { Cookie: cookie, Origin: viewer.origin });
      expect(opened.opened).toBe(true);
      if (opened.opened) {
        const answer = await new Promise<unknown>((resolve) => {
          opened.socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8'))));
          opened.socket.send(JSON.stringify({ type: 'call', id: 7, method: 'events.append', input: { streamId: 's', events: [{ type: 'T', data: {} }] } }));
        });
        expect(answer).toMatchObject({ id: 7, result: { ok: false, error: { code: 'FORBIDDEN' } } });
        opened.socket.close();
      }
    } finally {
      await viewer.stop();
    }
  });
});
