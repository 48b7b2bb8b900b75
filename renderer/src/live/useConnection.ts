import { useSyncExternalStore } from 'react';
import { transport } from '../api/client.js';
import { WebSocketTransport, type ConnectionState } from '../api/websocketTransport.js';

export interface Connection {
  readonly kind: 'electron' | 'serve';
  /** Electron's bridge is always connected; serve mode's WebSocket may drop and come back. */
  readonly state: ConnectionState;
}

const subscribe = (onChange: () => void) => (transport instanceof WebSocketTransport ? transport.onConnectionState(onChange) : () => undefined);
const getState = (): ConnectionState => (transport instanceof WebSocketTransport ? transport.connectionState : 'open');

export function useConnection(): Connection {
  const state = useSyncExternalStore(subscribe, getState);
  return { kind: transport.kind, state };
}
