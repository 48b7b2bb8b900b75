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
 * Serve mode's transport: one WebSocket to /api (the session cookie rides along), calls matched to
 * answers by id, subscriptions re-established after a reconnect so live views survive a server blip.
 */
export class WebSocketTransport implements ApiTransport {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly subscriptions = new Map<number, ActiveSubscription>();
  private queue: ClientFrame[] = [];
  private state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private retries = 0;

  constructor(private readonly url: string = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`) {
    this.connect();
  }

  connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  call(method: string, input: unknown): Promise<Result<unknown>> {
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
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    else if (frame.type !== 'unsubscribe') this.queue.push(frame);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retries = 0;
      this.setState('open');
      const queued = this.queue;
      this.queue = [];
      const queuedSubscriptions = new Set(queued.filter((f) => f.type === 'subscribe').map((f) => f.id));
      // Subscriptions made before a drop are renewed; new frames go out in order.
      for (const [id, s] of this.subscriptions) if (!queuedSubscriptions.has(id)) socket.send(JSON.stringify({ type: 'subscribe', id, method: s.method, input: s.input }));
      for (const frame of queued) socket.send(JSON.stringify(frame));
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      const frame = JSON.parse(message.data) as ServerFrame;
      if (frame.type === 'result') {
        const call = this.pending.get(frame.id);
        if (call !== undefined) {
          this.pending.delete(frame.id);
          call.resolve(frame.result);
        } else if (!frame.result.ok) {
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
    };
    socket.onclose = () => {
      // Calls in flight cannot be known to have run or not: they fail, and the UI says so.
      for (const [id, call] of this.pending) {
        if (this.queue.includes(call.frame)) continue;
        this.pending.delete(id);
        call.resolve({ ok: false, error: { code: 'BUSY', message: 'the connection to the console server was lost; try again' } });
      }
      this.retries++;
      // A refused upgrade looks like an immediate close; after a few of those the session is gone.
      this.setState(this.retries > 3 ? 'signed-out' : 'reconnecting');
      setTimeout(() => this.connect(), Math.min(10_000, 250 * 2 ** Math.min(this.retries, 6)));
    };
  }
}
