import { EventEmitter } from 'node:events';
import type { IpcInvokeEvent, IpcMainLike, IpcMessageEvent, IpcSender, NavigationDetails } from '../../main/electron/ipcTransport.js';
import type { IpcRendererLike } from '../../preload/bridge.js';

/**
 * Electron's IPC as an in-process pair, with the semantics the transport relies on:
 * - `ipcMain.handle`/`ipcRenderer.invoke` (one handler per channel; a second `handle` throws; `invoke`
 *   rejects when no handler is registered, when the handler throws, or when a value cannot be cloned);
 *   `ipcMain.on`/`ipcRenderer.send`, `webContents.send` and `event.reply` for one-way messages;
 * - every argument and answer crosses by structured clone, asynchronously, in order;
 * - each message carries its `sender` (the WebContents) and `senderFrame` (the WebFrameMain: `url`,
 *   `parent`), which is `null` once that frame's document is gone;
 * - a reload or navigation of the main frame emits `did-start-navigation` and replaces the document: the
 *   old page hears nothing more, and the preload runs again in the new one; `destroy()` emits
 *   `destroyed`, and sending to a destroyed WebContents throws, as Electron's does.
 */

type InvokeListener = (event: IpcInvokeEvent, ...args: unknown[]) => unknown;
type MessageListener = (event: IpcMessageEvent, ...args: unknown[]) => void;

/** Electron's IPC is asynchronous and ordered: each crossing waits its turn behind the ones before it. */
function cross(deliver: () => void): void {
  setImmediate(deliver);
}

export class FakeIpcMain implements IpcMainLike {
  private readonly handlers = new Map<string, InvokeListener>();
  private readonly listeners = new EventEmitter();

  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  on(channel: string, listener: MessageListener): this {
    this.listeners.on(channel, listener);
    return this;
  }

  off(channel: string, listener: MessageListener): this {
    this.listeners.off(channel, listener);
    return this;
  }

  /** How many one-way listeners are registered on a channel (to check that unregistering removed them). */
  listenerCount(channel: string): number {
    return this.listeners.listenerCount(channel) + (this.handlers.has(channel) ? 1 : 0);
  }

  /** @internal A page's `invoke`, as Electron's main process receives it. */
  receiveInvoke(page: FakePage, channel: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      cross(() => {
        const handler = this.handlers.get(channel);
        const fail = (error: unknown) => reject(new Error(`Error invoking remote method '${channel}': ${String(error)}`));
        if (handler === undefined) return fail(new Error(`No handler registered for '${channel}'`));
        const event: IpcInvokeEvent = { sender: page.contents, get senderFrame() { return page.liveFrame(); } };
        let answer: unknown;
        try {
          answer = handler(event, ...args);
        } catch (error) {
          return fail(error);
        }
        Promise.resolve(answer).then(
          (value) => {
            let cloned: unknown;
            try {
              cloned = structuredClone(value);
            } catch (error) {
              return fail(error);
            }
            cross(() => resolve(cloned));
          },
          fail,
        );
      });
    });
  }

  /** @internal A page's `send`, as Electron's main process receives it. */
  receiveMessage(page: FakePage, channel: string, args: unknown[]): void {
    cross(() => {
      const event: IpcMessageEvent = {
        sender: page.contents,
        get senderFrame() {
          return page.liveFrame();
        },
        reply: (replyChannel, ...replyArgs) => page.deliver(replyChannel, structuredClone(replyArgs)),
      };
      this.listeners.emit(channel, event, ...args);
    });
  }
}

/** A WebFrameMain: a URL and a parent (null for a main frame). */
export interface FakeFrame {
  url: string;
  readonly parent: FakeFrame | null;
}

/** One document in a frame, with the `ipcRenderer` its preload sees. */
export class FakePage {
  readonly ipcRenderer: IpcRendererLike;
  /** Every frame main sent to this page, in order: [channel, ...args]. */
  readonly received: unknown[][] = [];
  private readonly listeners = new EventEmitter();
  private gone = false;

  constructor(
    readonly contents: FakeWebContents,
    readonly frame: FakeFrame,
    ipcMain: FakeIpcMain,
  ) {
    const rendererEvent = { senderId: 0 };
    this.ipcRenderer = {
      invoke: (channel, ...args) => {
        if (this.gone) return new Promise<never>(() => undefined);
        return ipcMain.receiveInvoke(this, channel, structuredClone(args));
      },
      send: (channel, ...args) => {
        if (!this.gone) ipcMain.receiveMessage(this, channel, structuredClone(args));
      },
      on: (channel, listener) => {
        this.listeners.on(channel, (...args: unknown[]) => listener(rendererEvent, ...args));
        return this.ipcRenderer;
      },
    };
  }

  /** The sender frame Electron reports: null once this document is gone. */
  liveFrame(): FakeFrame | null {
    return this.gone ? null : this.frame;
  }

  /** @internal A message from main arrives (unless this document is gone by then). */
  deliver(channel: string, args: unknown[]): void {
    cross(() => {
      if (this.gone) return;
      this.received.push([channel, ...args]);
      this.listeners.emit(channel, ...args);
    });
  }

  /** @internal The document is replaced or destroyed. */
  leave(): void {
    this.gone = true;
  }
}

let nextContentsId = 1;

/** A WebContents: its main frame's current page, iframes, reload, navigation, destruction. */
export class FakeWebContents extends EventEmitter implements IpcSender {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame;
  /** Every frame main sent with `webContents.send`, in order, whichever page was there. */
  readonly sent: unknown[][] = [];
  page: FakePage;
  private readonly subPages: FakePage[] = [];
  private destroyed = false;

  constructor(
    private readonly ipcMain: FakeIpcMain,
    url: string,
  ) {
    super();
    this.mainFrame = { url, parent: null };
    this.page = new FakePage(this, this.mainFrame, ipcMain);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    this.sent.push([channel, ...cloned]);
    this.page.deliver(channel, cloned);
  }

  /** An iframe in the current page, with its own document (as if a preload ran in it). */
  addIframe(url: string): FakePage {
    const page = new FakePage(this, { url, parent: this.mainFrame }, this.ipcMain);
    this.subPages.push(page);
    return page;
  }

  /** A main-frame navigation to `url` (a reload when it is the same URL): a new document, a new page. */
  navigate(url: string): FakePage {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const details: NavigationDetails & { readonly url: string } = { url, isMainFrame: true, isSameDocument: false };
    // Electron's listener receives (details, url, isInPlace, isMainFrame, frameProcessId, frameRoutingId).
    this.emit('did-start-navigation', details, url, false, true, 1, 1);
    this.page.leave();
    for (const sub of this.subPages.splice(0)) sub.leave();
    this.mainFrame.url = url;
    this.page = new FakePage(this, this.mainFrame, this.ipcMain);
    return this.page;
  }

  reload(): FakePage {
    return this.navigate(this.mainFrame.url);
  }

  /** A navigation inside the document (the renderer's hash routes): the page stays. */
  navigateInPage(url: string): void {
    const details: NavigationDetails & { readonly url: string } = { url, isMainFrame: true, isSameDocument: true };
    this.emit('did-start-navigation', details, url, true, true, 1, 1);
    this.mainFrame.url = url;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.page.leave();
    for (const sub of this.subPages.splice(0)) sub.leave();
    this.emit('destroyed');
  }
}
