import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { runCli } from '../helpers/cli.js';
import { announcedFrameHeader, clientFrame, openRawWebSocket } from '../helpers/rawWebSocket.js';
import { callOverSocket, openSocket, signIn, startServe, type ServeProcess } from '../helpers/serve.js';
import { within } from '../helpers/waiting.js';

/** The server's limit on one message (main/server/server.ts). */
const MAX_PAYLOAD = 32 * 1024 * 1024;

/**
 * Issue 9, defect 1: one client could take serve mode down. A malformed frame (invalid UTF-8 in a text
 * frame, a message over the payload limit, a protocol violation) made the `ws` socket emit `error` with
 * no listener, and the process exited, dropping every client. Now only that socket closes, with the
 * close code that names the fault, and the server logs it; everyone else carries on.
 */
describe('serve mode: a bad WebSocket frame closes only its own socket', () => {
  let folder: string;
  let server: ServeProcess;
  let cookie: string;
  let bystander: WebSocket;
  let nextId = 1;

  const headers = () => ({ Cookie: cookie, Origin: server.origin });
  const openWs = async (): Promise<WebSocket> => {
    const opened = await openSocket(server.port, headers());
    if (!opened.opened) throw new Error(`the API socket was refused: ${opened.status}`);
    return opened.socket;
  };
  const closeCodeOf = (socket: WebSocket) =>
    new Promise<number>((resolve) => {
      // The client side may see EPIPE/ECONNRESET while it is still writing: only the close code matters.
      socket.on('error', () => undefined);
      socket.once('close', (code) => resolve(code));
    });

  /** The server is alive, its other client is still answered, and a new client can sign in to a socket. */
  const expectServerUnharmed = async () => {
    expect(server.child.exitCode, `serve exited; stderr:\n${server.stderr()}`).toBeNull();
    expect(await within(10_000, 'the bystander’s answer', callOverSocket(bystander, nextId++, 'session.info'))).toMatchObject({ ok: true });
    const fresh = await openWs();
    expect(await within(10_000, 'a new client’s answer', callOverSocket(fresh, 1, 'store.overview'))).toMatchObject({ ok: true });
    fresh.close();
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pconsole-hostile-'));
    const store = join(folder, 'store');
    await runCli(['init', store]);
    server = await startServe([store]);
    cookie = await signIn(server.url);
    bystander = await openWs();
  });

  afterAll(async () => {
    bystander?.close();
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a text frame that is not UTF-8: that socket closes with 1007, the server logs it and carries on', async () => {
    const bad = await openWs();
    const closed = closeCodeOf(bad);
    bad.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    expect(await within(10_000, 'the bad socket’s close', closed)).toBe(1007);
    await expectServerUnharmed();
    expect(server.stderr()).toMatch(/closed a WebSocket client.*1007.*UTF-8/i);
  });

  it('a message over the payload limit: that socket closes with 1009', async () => {
    const bad = await openWs();
    const closed = closeCodeOf(bad);
    bad.send(Buffer.alloc(MAX_PAYLOAD + 1, 0x20), { binary: false });
    expect(await within(30_000, 'the bad socket’s close', closed)).toBe(1009);
    await expectServerUnharmed();
    expect(server.stderr()).toMatch(/closed a WebSocket client.*1009/i);
  });

  it('a frame that only announces a length over the limit is refused at its header (1009)', async () => {
    const raw = await openRawWebSocket(server.port, headers());
    raw.write(announcedFrameHeader(MAX_PAYLOAD * 4));
    expect(await within(10_000, 'the raw socket’s close', raw.closed)).toBe(1009);
    await expectServerUnharmed();
  });

  it.each([
    ['an unmasked client frame', clientFrame(0x81, Buffer.from('{}'), { masked: false })],
    ['a reserved opcode', clientFrame(0x83, Buffer.from('{}'))],
    ['a reserved bit set without an extension', clientFrame(0xc1, Buffer.from('{}'))],
    ['a fragmented control frame', clientFrame(0x09, Buffer.from('ping'))],
  ])('%s: that socket closes with 1002 (protocol error)', async (_label, frame) => {
    const raw = await openRawWebSocket(server.port, headers());
    raw.write(frame);
    expect(await within(10_000, 'the raw socket’s close', raw.closed)).toBe(1002);
    await expectServerUnharmed();
  });

  it('a client that resets its connection during a refused upgrade does not take the server down', async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => {
          // No cookie: the server refuses the upgrade and writes its answer to a connection already reset.
          socket.write(`GET /api HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${server.origin}\r\n\r\n`);
          socket.resetAndDestroy();
          resolve();
        });
        socket.on('error', () => resolve());
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectServerUnharmed();
  });

  it('a good frame after all of that is still answered on the bystander’s socket', async () => {
    expect(
      await within(10_000, 'the append’s answer', callOverSocket(bystander, nextId++, 'events.append', { streamId: 'after-hostile-frames', events: [{ type: 'Checked', data: {} }] })),
    ).toMatchObject({
      ok: true,
      value: { globalPosition: 1 },
    });
  });
});
