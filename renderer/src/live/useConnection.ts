import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../../../shared/api/client.js';
import { transport } from '../api/client.js';

const subscribe = (onChange: () => void) => transport.onConnectionState(onChange);
const getState = (): ConnectionState => transport.connectionState();

/** The state of the link to main, from the transport itself (whichever it is). */
export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(subscribe, getState);
}
