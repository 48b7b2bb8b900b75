import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { ServerFrame } from '../../shared/api/wire.js';
import type { Principal } from '../../shared/security.js';
import type { ApiPipeline, SubscriptionHandle } from '../api/index.js';

const frameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().min(0), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: z.number().int().min(0), method: z.string().max(100), input: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: z.number().int().min(0) }),
]);

/** Above this many unsent bytes a slow client is not sent more pushes until it catches up. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * One WebSocket connection speaking the RPC of shared/api/wire.ts: calls answered by id, subscriptions
 * pushed by id until unsubscribed or the socket closes. Every frame is validated; a bad frame is
 * answered with INVALID_INPUT, never trusted.
 */
export function serveRpc(socket: WebSocket, pipeline: ApiPipeline, principal: Principal): void {
  const subscriptions = new Map<number, SubscriptionHandle>();
  const send = (frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  socket.on('message', (data, isBinary) => {
    let frame: z.infer<typeof frameSchema>;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      const raw: unknown = JSON.parse((data as Buffer).toString('utf8'));
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

  socket.on('close', () => {
    for (const s of subscriptions.values()) s.unsubscribe();
    subscriptions.clear();
  });
}
