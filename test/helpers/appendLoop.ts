/**
 * A child process for the multi-process and SIGKILL tests: opens a store and appends in a loop, printing
 * one line to stdout for each append AFTER the engine has acknowledged it (the commit returned). Whatever
 * it printed must be in the store afterwards, whenever the process dies.
 *
 *   node --import tsx test/helpers/appendLoop.ts '<AppendLoopConfig as JSON>'
 */
import { randomUUID } from 'node:crypto';
import { type AppendRequest, type AppendResult } from '../../shared/events.js';
import { EventStore } from '../../main/store/eventStore.js';
import { READY_LINE, type AppendAck, type AppendLoopConfig, type AppendLoopData } from './appendLoopProtocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as AppendLoopConfig;
const tag = `${process.pid}`;
const store = EventStore.open(config.store);
if (config.durability !== undefined) store.setDurability(config.durability);

function fail(message: string): never {
  process.stderr.write(`appendLoop: ${message}\n`);
  process.exit(3);
}

function request(w: number, n: number): AppendRequest {
  const streamId = config.sharedStream !== undefined && n % 3 === 2 ? config.sharedStream : `${config.streamPrefix}-${w}`;
  const of = 1 + ((n * 7 + w) % config.maxBatch);
  return {
    streamId,
    expectedVersion: 'any',
    events: Array.from({ length: of }, (_, i) => ({
      type: 'LoopEventAppended',
      data: { tag, w, n, i, of } satisfies AppendLoopData,
      // Every other append names its own ids, the rest get UUIDv7s from the engine.
      ...(n % 2 === 0 ? { eventId: randomUUID() } : {}),
    })),
  };
}

function acknowledge(w: number, n: number, streamId: string, result: AppendResult): void {
  const ack: AppendAck = { w, n, streamId, events: result.events.map((e) => ({ p: e.globalPosition, id: e.eventId, v: e.streamVersion })) };
  process.stdout.write(JSON.stringify(ack) + '\n');
}

async function worker(w: number): Promise<void> {
  for (let n = 0; config.count === 0 || n < config.count; n++) {
    const req = request(w, n);
    const result = config.mode === 'now' ? store.appendNow(req) : await store.append(req);
    if (result.idempotent || result.events.length !== req.events.length) fail(`unexpected result ${JSON.stringify(result)}`);
    acknowledge(w, n, req.streamId, result);
    if (n % 10 === 5 && req.events[0]!.eventId !== undefined) {
      // A retry of an acknowledged append with the same ids is a no-op that returns the same positions.
      const again = config.mode === 'now' ? store.appendNow(req) : await store.append(req);
      if (!again.idempotent || again.globalPosition !== result.globalPosition) fail(`retry was not idempotent: ${JSON.stringify(again)}`);
    }
    if ((config.pauseMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, config.pauseMs));
  }
}

async function go(): Promise<void> {
  if (config.waitForGo !== true) return;
  process.stdout.write(READY_LINE + '\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}

const workers = config.mode === 'now' ? 1 : config.workers;
go()
  .then(() => Promise.all(Array.from({ length: workers }, (_, w) => worker(w))))
  .then(
  () => {
    store.close();
  },
  (error: unknown) => {
    fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  },
);
