import { IPC_CHANNELS, type Result, type ServerFrame } from '../../shared/api/wire.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { Principal } from '../../shared/security.js';
import type { ApiPipeline, SubscriptionHandle } from '../api/index.js';
import { isTrustedFrame, type SenderFrame } from './security.js';

/**
 * The part of Electron's main-process IPC this transport uses, declared here so the transport imports
 * nothing from `electron`: Electron's `ipcMain`, `WebContents` and `WebFrameMain` satisfy these shapes,
 * and tests drive the transport with an in-process pair that has Electron's semantics.
 */
export interface IpcSender {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  on(event: 'did-start-navigation', listener: (details: NavigationDetails) => void): unknown;
  off(event: 'did-start-navigation', listener: (details: NavigationDetails) => void): unknown;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface NavigationDetails {
  readonly isMainFrame: boolean;
  readonly isSameDocument: boolean;
}

export interface IpcInvokeEvent {
  readonly sender: IpcSender;
  readonly senderFrame: SenderFrame | null;
}

export interface IpcMessageEvent extends IpcInvokeEvent {
  /** Sends to the frame the message came from (which may not be the sender's main frame). */
  reply(channel: string, ...args: unknown[]): void;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMessageEvent, ...args: unknown[]) => void): unknown;
  off(channel: string, listener: (event: IpcMessageEvent, ...args: unknown[]) => void): unknown;
}

const UNTRUSTED: ErrorInfo = { code: 'UNAUTHENTICATED', message: 'IPC is accepted only from the console window' };

/**
 * Electron's transport: the one place IPC handlers are registered. Every message is checked to come
 * from our own top frame, then goes through the same pipeline as serve mode's WebSocket. Returns the
 * function that unregisters it and ends every subscription it holds.
 */
export function registerIpcTransport(ipc: IpcMainLike, pipeline: ApiPipeline, principal: Principal): () => void {
  const byContents = new Map<number, Map<number, SubscriptionHandle>>();

  const subscriptionsOf = (contents: IpcSender) => {
    let map = byContents.get(contents.id);
    if (map === undefined) {
      const created = new Map<number, SubscriptionHandle>();
      byContents.set(contents.id, created);
      const endAll = () => {
        for (const s of created.values()) s.unsubscribe();
        created.clear();
      };
      // A reload (after a store switch) starts a new document whose ids begin again at 1: the old page's
      // subscriptions, which would otherwise follow the new store and push to nobody, end with it.
      const onNavigation = (details: NavigationDetails) => {
        if (details.isMainFrame && !details.isSameDocument) endAll();
      };
      contents.on('did-start-navigation', onNavigation);
      contents.once('destroyed', () => {
        contents.off('did-start-navigation', onNavigation);
        endAll();
        byContents.delete(contents.id);
      });
      map = created;
    }
    return map;
  };

  const onCall = (event: IpcInvokeEvent, method: unknown, input: unknown): Promise<Result<unknown>> | Result<unknown> => {
    if (!isTrustedFrame(event.senderFrame)) return { ok: false, error: UNTRUSTED };
    return pipeline.call(principal, method, input);
  };

  const onSubscribe = (event: IpcMessageEvent, id: unknown, method: unknown, input: unknown) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    // The refusal goes back to the frame that asked, never to the console's page: an iframe must not be
    // able to end the page's subscription of the same id.
    if (!isTrustedFrame(event.senderFrame)) return event.reply(IPC_CHANNELS.push, { type: 'ended', id, error: UNTRUSTED } satisfies ServerFrame);
    const contents = event.sender;
    const send = (frame: ServerFrame) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.push, frame);
    };
    const subscriptions = subscriptionsOf(contents);
    subscriptions.get(id)?.unsubscribe();
    subscriptions.delete(id);
    const result = pipeline.subscribe(
      principal,
      method,
      input,
      (value) => send({ type: 'push', id, value }),
      (error) => {
        subscriptions.delete(id);
        send({ type: 'ended', id, error });
      },
    );
    if (result.ok) subscriptions.set(id, result.value);
    else send({ type: 'ended', id, error: result.error });
  };

  const onUnsubscribe = (event: IpcMessageEvent, id: unknown) => {
    if (!isTrustedFrame(event.senderFrame) || typeof id !== 'number') return;
    const subscriptions = byContents.get(event.sender.id);
    subscriptions?.get(id)?.unsubscribe();
    subscriptions?.delete(id);
  };

  ipc.handle(IPC_CHANNELS.call, (event, method, input) => onCall(event, method, input));
  ipc.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipc.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);
  return () => {
    ipc.removeHandler(IPC_CHANNELS.call);
    ipc.off(IPC_CHANNELS.subscribe, onSubscribe);
    ipc.off(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const map of byContents.values()) for (const s of map.values()) s.unsubscribe();
    byContents.clear();
  };
}
