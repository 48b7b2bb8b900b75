/**
 * The other process of the live-tail benchmark: appends demo-domain events to a store at a steady rate
 * through the engine (one durable transaction every TICK_MS), as an application would.
 *
 *   node --import tsx test/bench/ui-appender.ts '{"store":"…","perSecond":5000,"seconds":65}'
 *
 * Prints "ready" once the store is open, then waits for a line on stdin; at the end prints one JSON line
 * {"appended","seconds","commits","lateTicks"}.
 */
import { createInterface } from 'node:readline';
import { demoEvents } from '../../main/demo/demoDomain.js';
import { EventStore } from '../../main/store/eventStore.js';
import { prepareEvent, type PreparedAppend } from '../../main/store/writer.js';

export interface AppenderConfig {
  readonly store: string;
  readonly perSecond: number;
  readonly seconds: number;
}

export interface AppenderResult {
  readonly appended: number;
  readonly seconds: number;
  readonly commits: number;
  /** Ticks that started more than one tick late (the appender could not keep the rate). */
  readonly lateTicks: number;
}

const TICK_MS = 50;

async function main(config: AppenderConfig): Promise<void> {
  const store = EventStore.open(config.store);
  // Enough demo orders for the whole run, ~10 events per stream as in the demo store.
  const total = Math.ceil(config.perSecond * config.seconds * 1.1) + 1000;
  const events = demoEvents(total, Math.max(100, Math.round(total / 10)), 7);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', () => {
      lines.close();
      process.stdin.destroy();
      resolve();
    });
  });
  const started = performance.now();
  let appended = 0;
  let commits = 0;
  let lateTicks = 0;
  for (let tick = 1; ; tick++) {
    const elapsed = performance.now() - started;
    if (elapsed >= config.seconds * 1000) break;
    const due = Math.floor((config.perSecond * Math.min(elapsed + TICK_MS, config.seconds * 1000)) / 1000);
    const batch: PreparedAppend[] = [];
    while (appended + batch.length < due) {
      const next = events.next();
      if (next.done === true) throw new Error('the demo generator ran out of events');
      const e = next.value;
      batch.push({ streamId: e.streamId, expectedVersion: 'any', mode: 'append', events: [prepareEvent(e.type, e.data, e.metadata, e.eventId)] });
    }
    if (batch.length > 0) {
      store.commitAtomically(batch);
      appended += batch.length;
      commits++;
    }
    const next = started + tick * TICK_MS;
    const wait = next - performance.now();
    if (wait < -TICK_MS) lateTicks++;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const result: AppenderResult = { appended, seconds: (performance.now() - started) / 1000, commits, lateTicks };
  store.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[2] !== undefined) await main(JSON.parse(process.argv[2]) as AppenderConfig);
