import { ApiClient, type ApiTransport } from '../../../shared/api/client.js';
import { WebSocketTransport } from './websocketTransport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (serve mode). */
    readonly pconsole?: ApiTransport;
  }
}

/** The one client of the renderer: Electron's bridge when present, serve mode's WebSocket otherwise. */
export const transport: ApiTransport = window.pconsole ?? new WebSocketTransport();
export const api = new ApiClient(transport);
