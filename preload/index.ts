import { contextBridge, ipcRenderer } from 'electron';
import type { ApiTransport } from '../shared/api/client.js';
import { IPC_CHANNELS, type Result, type ServerFrame } from '../shared/api/wire.js';
import type { ErrorInfo } from '../shared/errors.js';

// The preload exposes exactly the API contract's two verbs (call and subscribe, by contract method name)
// and nothing else: no ipcRenderer, no Node. Main checks the sender, the method, the input and the role
// on every call, so the preload stays a few lines without its own copy of the contract.

interface Listener {
  readonly onPush: (value: unknown) => void;
  readonly onEnd: (error: ErrorInfo | null) => void;
}

const listeners = new Map<number, Listener>();
let nextId = 1;

ipcRenderer.on(IPC_CHANNELS.push, (_event, frame: ServerFrame) => {
  const listener = listeners.get(frame.id);
  if (listener === undefined) return;
  if (frame.type === 'push') listener.onPush(frame.value);
  else if (frame.type === 'ended') {
    listeners.delete(frame.id);
    listener.onEnd(frame.error);
  }
});

const bridge = {
  call(method: string, input: unknown): Promise<Result<unknown>> {
    return ipcRenderer.invoke(IPC_CHANNELS.call, method, input) as Promise<Result<unknown>>;
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
  connectionState: () => 'open' as const,
  onConnectionState: () => () => undefined,
} satisfies ApiTransport;

contextBridge.exposeInMainWorld('pconsole', bridge);

/**
 * The bridge's type. The renderer types `window.pconsole` as the shared ApiTransport that this object is
 * checked against (`satisfies` above) rather than importing this module: importing it would pull
 * Electron's and Node's types into the renderer's type-check.
 */
export type PreloadBridge = typeof bridge;
