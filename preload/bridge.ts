import type { ApiTransport } from '../shared/api/client.js';
import { IPC_CHANNELS, type Result, type ServerFrame } from '../shared/api/wire.js';
import type { ErrorInfo } from '../shared/errors.js';

/**
 * The part of Electron's `ipcRenderer` the bridge uses; Electron's object satisfies it, and tests pass an
 * in-process fake with Electron's semantics.
 */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

interface Listener {
  readonly onPush: (value: unknown) => void;
  readonly onEnd: (error: ErrorInfo | null) => void;
}

/**
 * The preload's bridge: exactly the API contract's verbs (call and subscribe, by contract method name) and
 * the connection state, and nothing else: no ipcRenderer, no Node. Main checks the sender, the method, the
 * input and the role on every call, so the bridge stays a few lines without its own copy of the contract.
 */
export function createBridge(ipcRenderer: IpcRendererLike): ApiTransport {
  const listeners = new Map<number, Listener>();
  let nextId = 1;

  ipcRenderer.on(IPC_CHANNELS.push, (_event, ...args) => {
    const frame = args[0] as ServerFrame;
    const listener = listeners.get(frame.id);
    if (listener === undefined) return;
    if (frame.type === 'push') listener.onPush(frame.value);
    else if (frame.type === 'ended') {
      listeners.delete(frame.id);
      listener.onEnd(frame.error);
    }
  });

  return {
    async call(method: string, input: unknown): Promise<Result<unknown>> {
      try {
        return (await ipcRenderer.invoke(IPC_CHANNELS.call, method, input)) as Result<unknown>;
      } catch (error) {
        // invoke rejects only when the message could not cross (an input that cannot be cloned, no
        // handler in main): answered as an error like every other, never a throw.
        return { ok: false, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
      }
    },
    subscribe(method: string, input: unknown, onPush: (value: unknown) => void, onEnd: (error: ErrorInfo | null) => void): () => void {
      const id = nextId++;
      listeners.set(id, { onPush, onEnd });
      ipcRenderer.send(IPC_CHANNELS.subscribe, id, method, input);
      return () => {
        if (listeners.delete(id)) ipcRenderer.send(IPC_CHANNELS.unsubscribe, id);
      };
    },
    // IPC to our own main process does not drop: the page and main live and die together.
    connectionState: () => 'open',
    onConnectionState: () => () => undefined,
  };
}
