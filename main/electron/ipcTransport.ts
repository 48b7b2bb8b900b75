import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type Result, type ServerFrame } from '../../shared/api/wire.js';
import type { Principal } from '../../shared/security.js';
import type { ApiPipeline, SubscriptionHandle } from '../api/index.js';
import { isTrustedFrame } from './security.js';

const untrusted: Result<never> = { ok: false, error: { code: 'UNAUTHENTICATED', message: 'IPC is accepted only from the console window' } };

/**
 * Electron's transport: the one place IPC handlers are registered. Every message is checked to come
 * from our own top frame, then goes through the same pipeline as serve mode's WebSocket.
 */
export function registerIpcTransport(pipeline: ApiPipeline, principal: Principal): () => void {
  const byContents = new Map<number, Map<number, SubscriptionHandle>>();

  const subscriptionsOf = (contents: WebContents) => {
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
      const onNavigation = (details: { readonly isMainFrame: boolean; readonly isSameDocument: boolean }) => {
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

  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, input: unknown) => {
    if (!isTrustedFrame(event.senderFrame)) return untrusted;
    return pipeline.call(principal, method, input);
  });

  const onSubscribe = (event: IpcMainEvent, id: unknown, method: unknown, input: unknown) => {
    if (!isTrustedFrame(event.senderFrame) || typeof id !== 'number' || !Number.isSafeInteger(id)) return;
    const contents = event.sender;
    const send = (frame: ServerFrame) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.push, frame);
    };
    const subscriptions = subscriptionsOf(contents);
    subscriptions.get(id)?.unsubscribe();
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

  const onUnsubscribe = (event: IpcMainEvent, id: unknown) => {
    if (!isTrustedFrame(event.senderFrame) || typeof id !== 'number') return;
    const subscriptions = byContents.get(event.sender.id);
    subscriptions?.get(id)?.unsubscribe();
    subscriptions?.delete(id);
  };

  ipcMain.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipcMain.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);
  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.off(IPC_CHANNELS.subscribe, onSubscribe);
    ipcMain.off(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const map of byContents.values()) for (const s of map.values()) s.unsubscribe();
    byContents.clear();
  };
}
