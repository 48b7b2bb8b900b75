import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ApiTransport } from '../../shared/api/client.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { Principal, Role, Transport } from '../../shared/security.js';
import { ApiPipeline, loadAllHandlers, type SubscriptionHandle } from '../../main/api/index.js';
import { registerIpcTransport } from '../../main/electron/ipcTransport.js';
import { APP_ORIGIN } from '../../main/electron/security.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import { createBridge } from '../../preload/bridge.js';
import { WebSocketTransport } from '../../renderer/src/api/websocketTransport.js';
import { FakeIpcMain, FakeWebContents } from './fakeElectronIpc.js';
import { signIn } from './serve.js';

/** The real pipeline, counting the subscriptions it holds open (so a test can see one end). */
export class CountingPipeline extends ApiPipeline {
  active = 0;

  override subscribe(principal: Principal, method: unknown, rawInput: unknown, push: (value: unknown) => void, end: (error: ErrorInfo | null) => void) {
    const result = super.subscribe(principal, method, rawInput, push, end);
    if (!result.ok) return result;
    this.active++;
    let open = true;
    const handle: SubscriptionHandle = {
      unsubscribe: () => {
        if (open) this.active--;
        open = false;
        result.value.unsubscribe();
      },
    };
    return { ok: true as const, value: handle };
  }
}

/** The console's own page in the desktop window. */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html#/overview`;

/**
 * One transport with everything behind it real: a ConsoleHost on a temporary store, the real pipeline
 * and handlers, and the client the renderer uses on that transport (the preload's bridge over an
 * in-process Electron IPC pair; the renderer's WebSocketTransport against a real serve-mode server).
 */
export interface TransportUnderTest {
  readonly name: string;
  readonly host: ConsoleHost;
  readonly pipeline: CountingPipeline;
  /** The principal the transport establishes for a client of `role`. */
  principal(role: Role): Principal;
  /** A new client, signed in as `role`, ready to call. */
  client(role?: Role): Promise<ApiTransport>;
  close(): Promise<void>;
}

/** A ConsoleHost on a new temporary store, and the real pipeline in front of it with every handler loaded. */
async function newHost(transport: Transport): Promise<{ host: ConsoleHost; pipeline: CountingPipeline; folder: string }> {
  const folder = mkdtempSync(join(tmpdir(), `pconsole-transport-${transport}-`));
  const host = new ConsoleHost({ storePath: join(folder, 'store'), transport, createIfMissing: true });
  const pipeline = new CountingPipeline(host);
  await loadAllHandlers();
  return { host, pipeline, folder };
}

/** Electron: registerIpcTransport on a fake ipcMain per role, and the preload's createBridge in the page. */
export async function ipcTransportUnderTest(): Promise<TransportUnderTest & { readonly ipcMain: (role: Role) => FakeIpcMain }> {
  const { host, pipeline, folder } = await newHost('electron');
  const principal = (role: Role): Principal => ({ name: `desktop-${role}`, role, transport: 'electron' });
  const mains = new Map<Role, { ipcMain: FakeIpcMain; unregister: () => void }>();
  const contents: FakeWebContents[] = [];
  const ipcMainOf = (role: Role) => {
    let entry = mains.get(role);
    if (entry === undefined) {
      const ipcMain = new FakeIpcMain();
      entry = { ipcMain, unregister: registerIpcTransport(ipcMain, pipeline, principal(role)) };
      mains.set(role, entry);
    }
    return entry.ipcMain;
  };
  return {
    name: 'Electron IPC (preload bridge ↔ ipcMain)',
    host,
    pipeline,
    principal,
    ipcMain: ipcMainOf,
    client: async (role = 'admin') => {
      const window = new FakeWebContents(ipcMainOf(role), APP_PAGE_URL);
      contents.push(window);
      return createBridge(window.page.ipcRenderer);
    },
    close: async () => {
      for (const c of contents) c.destroy();
      for (const m of mains.values()) m.unregister();
      await host.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Serve mode: startServer per role in process, and the renderer's WebSocketTransport over `ws` with the cookie. */
export async function websocketTransportUnderTest(): Promise<TransportUnderTest> {
  const { host, pipeline, folder } = await newHost('serve');
  // startServer needs an index.html to serve; the API needs nothing more.
  const staticDir = join(folder, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  const servers = new Map<Role, Promise<RunningServer>>();
  const clients: WebSocketTransport[] = [];
  const serverOf = (role: Role) => {
    let server = servers.get(role);
    if (server === undefined) {
      server = startServer({ pipeline, staticDir, role, downloads: host.downloads, log: () => undefined });
      servers.set(role, server);
    }
    return server;
  };
  return {
    name: 'serve-mode WebSocket (renderer client ↔ startServer)',
    host,
    pipeline,
    principal: (role) => ({ name: `serve-${role}`, role, transport: 'serve' }),
    client: async (role = 'admin') => {
      const server = await serverOf(role);
      const cookie = await signIn(server.url);
      const transport = new WebSocketTransport({
        url: `ws://127.0.0.1:${server.port}/api`,
        connect: (url) => new WebSocket(url, { headers: { Cookie: cookie, Origin: server.origin } }),
      });
      clients.push(transport);
      await new Promise<void>((resolve, reject) => {
        if (transport.connectionState() === 'open') return resolve();
        const stop = transport.onConnectionState((state) => {
          stop();
          if (state === 'open') resolve();
          else reject(new Error(`the WebSocket did not open: ${state}`));
        });
      });
      return transport;
    },
    close: async () => {
      for (const c of clients) c.close();
      for (const s of servers.values()) await (await s).close();
      await host.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
