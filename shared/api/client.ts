import { ConsoleError, type ErrorInfo } from '../errors.js';
import type { CallResultOf, InputOf, MethodName, MethodsOfKind, OutputOf } from './contract.js';
import type { Result } from './wire.js';

/**
 * The state of the link to main: Electron's IPC is always `open`; serve mode's WebSocket may drop and come
 * back (`reconnecting`), and ends `signed-out` when its session is gone.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'signed-out';

/**
 * What a transport must do: Electron's preload bridge and serve mode's WebSocket both implement this, and
 * nothing above it knows which one it is talking to (what the console can do where it runs comes from
 * `session.info`'s capabilities).
 */
export interface ApiTransport {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  /** Returns the unsubscribe function. `onEnd` is called once if the subscription ends from the far side. */
  subscribe(method: string, input: unknown, onPush: (value: unknown) => void, onEnd: (error: ErrorInfo | null) => void): () => void;
  connectionState(): ConnectionState;
  /** Calls `listener` on every change of the connection state; returns the function that stops it. */
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export type SubscriptionMethod = MethodsOfKind<'subscription'>;
export type CallMethod = Exclude<MethodName, SubscriptionMethod>;

/** The typed face of a transport: method names, inputs and outputs all come from the contract. */
export class ApiClient {
  constructor(readonly transport: ApiTransport) {}

  // `{} extends Input` is how TypeScript asks "may the input be omitted?".
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  async call<M extends CallMethod>(method: M, ...args: {} extends InputOf<M> ? [input?: InputOf<M>] : [input: InputOf<M>]): Promise<CallResultOf<M>> {
    const result = await this.transport.call(method, args[0] ?? {});
    if (!result.ok) throw new ConsoleError(result.error.code, result.error.message, result.error.details);
    return result.value as CallResultOf<M>;
  }

  subscribe<M extends SubscriptionMethod>(method: M, input: InputOf<M>, onPush: (value: OutputOf<M>) => void, onEnd: (error: ErrorInfo | null) => void = () => undefined): () => void {
    return this.transport.subscribe(method, input, (value) => onPush(value as OutputOf<M>), onEnd);
  }
}
