import type { ErrorInfo } from '../errors.js';

/** Every call's answer crosses the boundary as one of these, on both transports. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

/** Serve mode's WebSocket frames (JSON). Electron IPC carries the same payloads on named channels. */
export type ClientFrame =
  | { readonly type: 'call'; readonly id: number; readonly method: string; readonly input: unknown }
  | { readonly type: 'subscribe'; readonly id: number; readonly method: string; readonly input: unknown }
  | { readonly type: 'unsubscribe'; readonly id: number };

export type ServerFrame =
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  /** A subscription's push; `error` ends the subscription. */
  | { readonly type: 'push'; readonly id: number; readonly value: unknown }
  | { readonly type: 'ended'; readonly id: number; readonly error: ErrorInfo | null };

/** Electron IPC channel names (one place, used by preload and main). */
export const IPC_CHANNELS = {
  call: 'pconsole:call',
  subscribe: 'pconsole:subscribe',
  unsubscribe: 'pconsole:unsubscribe',
  push: 'pconsole:push',
} as const;
