import type { ApiTransport, ConnectionState } from '../../../shared/api/client.js';
import type { ClientFrame, Result, ServerFrame } from '../../../shared/api/wire.js';
import type { ErrorInfo } from '../../../shared/errors.js';

interface PendingCall {
  readonly frame: ClientFrame;
  readonly resolve: (result: Result<unknown>) => void;
}

interface ActiveSubscription {
  readonly method: string;
  readonly input: unknown;
  readonly onPush: (value: unknown) => void;
  readonly onEnd: (error: ErrorInfo | null) => void;
}

/**
 * What the transport uses of a WebSocket: the browser's satisfies it, and so does Node's `ws` (which is
 * how tests run this very client against a real server, with the session cookie as a header).
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (message: { readonly data: unknown }) => void): void;
}

export interface WebSocketTransportOptions {
  /** Default: /api on the page's own host, ws: or wss: as the page. */
  readonly url?: string;
  /** Default: the browser's WebSocket. */
  readonly connect?: (url: string) => SocketLike;
}

/** WebSocket.OPEN, which Node's globals lack. */
const OPEN = 1;

const LOST: Result<never> = { ok: false, error: { code: 'BUSY', message: 'the connection to the console server was lost; try again' } };

/**
 * Serve mode's transport: one WebSocket to /api (the session cookie rides along), calls matched to
 * answers by id, subscriptions re-established after a reconnect so live views survive a server blip.
 */
export class WebSocketTransport implements ApiTransport {
  private readonly url: string;
  private readonly connectSocket: (url: string) => SocketLike;
  private socket: SocketLike | undefined;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly subscriptions = new Map<number, ActiveSubscription>();
  private queue: ClientFrame[] = [];
  private state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private retries = 0;

  constructor(options: WebSocketTransportOptions = {}) {
    this.url = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
    this.connectSocket = options.connect ?? ((url) => new WebSocket(url));
    this.connect();
  }

  /** Closes the socket for good: no reconnect; calls still waiting are answered as failed. */
  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.socket?.close();
  }

  connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  call(method: string, input: unknown): Promise<Result<unknown>> {
    if (this.closed) return Promise.resolve(LOST);
    return new Promise((resolve) => {
      const frame: ClientFrame = { type: 'call', id: this.nextId++, method, input };
      this.pending.set(frame.id, { frame, resolve });
      this.send(frame);
    });
  }

  subscribe(method: string, input: unknown, onPush: (value: unknown) => void, onEnd: (error: ErrorInfo | null) => void): () => void {
    const id = this.nextId++;
    this.subscriptions.set(id, { method, input, onPush, onEnd });
    this.send({ type: 'subscribe', id, method, input });
    return () => {
      if (!this.subscriptions.delete(id)) return;
      // Not sent yet (still connecting): drop the queued subscribe instead of leaving it to run unheard.
      const queued = this.queue.length;
      this.queue = this.queue.filter((f) => !(f.type === 'subscribe' && f.id === id));
      if (this.queue.length === queued) this.send({ type: 'unsubscribe', id });
    };
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(frame));
    else if (frame.type !== 'unsubscribe') this.queue.push(frame);
  }

  private connect(): void {
    const socket = this.connectSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retries = 0;
      this.setState('open');
      const queued = this.queue;
      this.queue = [];
      const queuedSubscriptions = new Set(queued.filter((f) => f.type === 'subscribe').map((f) => f.id));
      // Subscriptions made before a drop are renewed; new frames go out in order.
      for (const [id, s] of this.subscriptions) if (!queuedSubscriptions.has(id)) socket.send(JSON.stringify({ type: 'subscribe', id, method: s.method, input: s.input }));
      for (const frame of queued) socket.send(JSON.stringify(frame));
    });
    // A failed connection is followed by its close, which is where it is handled (Node's ws would throw
    // an error event that nobody listens to).
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('message', (message) => this.receive(JSON.parse(String(message.data)) as ServerFrame));
    socket.addEventListener('close', () => {
      // Calls in flight cannot be known to have run or not: they fail, and the UI says so.
      for (const [id, call] of this.pending) {
        if (this.queue.includes(call.frame) && !this.closed) continue;
        this.pending.delete(id);
        call.resolve(LOST);
      }
      if (this.closed) return;
      this.retries++;
      // A refused upgrade looks like an immediate close; after a few of those the session is gone.
      this.setState(this.retries > 3 ? 'signed-out' : 'reconnecting');
      this.reconnectTimer = setTimeout(() => this.connect(), Math.min(10_000, 250 * 2 ** Math.min(this.retries, 6)));
    });
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === 'result') {
      const call = this.pending.get(frame.id);
      if (call !== undefined) {
        this.pending.delete(frame.id);
        call.resolve(frame.result);
      } else if (!frame.result.ok) {
        // A subscription refused at its start is answered like a call: it ends with that error.
        const subscription = this.subscriptions.get(frame.id);
        if (subscription !== undefined) {
          this.subscriptions.delete(frame.id);
          subscription.onEnd(frame.result.error);
        }
      }
    } else if (frame.type === 'push') this.subscriptions.get(frame.id)?.onPush(frame.value);
    else {
      const subscription = this.subscriptions.get(frame.id);
      this.subscriptions.delete(frame.id);
      subscription?.onEnd(frame.error);
    }
  }
}
