import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { ServerFrame } from '../../shared/api/wire.js';
import { parseJsonText } from '../../shared/json.js';
import type { Principal } from '../../shared/security.js';
import type { ApiPipeline, SubscriptionHandle } from '../api/index.js';

const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().min(0), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: z.number().int().min(0), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: z.number().int().min(0) }),
]);

/** Above this many unsent bytes a slow client is not sent more pushes until it catches up. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Where serve mode writes what it refused (one line each). */
export type ServeLog = (line: string) => void;

export const stderrLog: ServeLog = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * One WebSocket connection speaking the RPC of shared/api/wire.ts: calls answered by id, subscriptions
 * pushed by id until unsubscribed or the socket closes. Every frame is validated; a bad frame is
 * answered with INVALID_INPUT, never trusted.
 */
export function serveRpc(socket: WebSocket, pipeline: ApiPipeline, principal: Principal, log: ServeLog = stderrLog): void {
  const subscriptions = new Map<number, SubscriptionHandle>();
  const send = (frame: ServerFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(serialise(frame));
  };
  const endAll = () => {
    for (const s of subscriptions.values()) s.unsubscribe();
    subscriptions.clear();
  };

  // A frame the protocol layer refuses (a text frame that is not UTF-8, a message over the payload
  // limit, a protocol violation) arrives here, and ws has already sent the close frame with the code
  // that names the fault. Without this listener the error would be thrown and end the whole process,
  // dropping every other client (issue 9, defect 1): it closes this socket only, and is logged.
  socket.on('error', (error: Error & { readonly code?: string }) => {
    log(`serve: closed a WebSocket client (${principal.name}) after a bad frame: close code ${closeCodeOf(error) ?? 'none'} (${error.code ?? error.name}: ${error.message})`);
    // Nothing more is read from this socket and nothing more can be sent on it: its subscriptions end now,
    // not when the close handshake (or ws's 30 s close timeout) ends.
    endAll();
  });

  socket.on('message', (data, isBinary) => {
    let frame: z.infer<typeof frameSchema>;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      // ws has checked the text is UTF-8; its nesting is bounded before it is parsed (shared/json.ts).
      const raw: unknown = parseJsonText((data as Buffer).toString('utf8'));
      const parsed = frameSchema.safeParse(raw);
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      frame = parsed.data;
    } catch (error) {
      send({ type: 'result', id: -1, result: { ok: false, error: { code: 'INVALID_INPUT', message: `bad frame: ${(error as Error).message}` } } });
      return;
    }
    if (frame.type === 'call') {
      void pipeline.call(principal, frame.method, frame.input).then((result) => send({ type: 'result', id: frame.id, result }));
    } else if (frame.type === 'subscribe') {
      const id = frame.id;
      subscriptions.get(id)?.unsubscribe();
      const result = pipeline.subscribe(
        principal,
        frame.method,
        frame.input,
        (value) => {
          if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
          send({ type: 'push', id, value });
        },
        (error) => {
          subscriptions.delete(id);
          send({ type: 'ended', id, error });
        },
      );
      if (result.ok) {
        subscriptions.set(id, result.value);
        send({ type: 'result', id, result: { ok: true, value: null } });
      } else send({ type: 'result', id, result });
    } else {
      subscriptions.get(frame.id)?.unsubscribe();
      subscriptions.delete(frame.id);
    }
  });

  socket.on('close', endAll);
}

/**
 * A frame as JSON text. A value JSON cannot carry (a BigInt, a cycle) is a bug of its handler: an answer
 * becomes INTERNAL; a push throws, and the pipeline ends that subscription with the error. Either way the
 * connection stays up (a throw here would be an unhandled rejection, which ends the process).
 */
function serialise(frame: ServerFrame): string {
  try {
    return JSON.stringify(frame);
  } catch (error) {
    const info = { code: 'INTERNAL' as const, message: `the answer could not be encoded: ${(error as Error).message}` };
    if (frame.type === 'result') return JSON.stringify({ type: 'result', id: frame.id, result: { ok: false, error: info } } satisfies ServerFrame);
    if (frame.type === 'ended') return JSON.stringify({ type: 'ended', id: frame.id, error: info } satisfies ServerFrame);
    throw error;
  }
}

/** The close code ws chose for a protocol error (1002, 1007, 1009, …); ws keeps it under a private symbol. */
function closeCodeOf(error: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(error).find((s) => s.description === 'status-code');
  const code: unknown = key === undefined ? undefined : (error as unknown as Record<symbol, unknown>)[key];
  return typeof code === 'number' ? code : undefined;
}
