import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import type { AppendResult, ExpectedVersion } from '../../shared/events.js';
import { eventPages } from '../../main/store/eventRange.js';
import { EventStore } from '../../main/store/eventStore.js';
import { importNdjson } from '../../main/store/importer.js';
import { toEventJsonLine } from '../../main/store/storedEvent.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

// ---------------------------------------------------------------------------------------------------
// Any sequence of appends, run against a real store and against a small model of DESIGN §4.

const ID_POOL = [
  '0190a000-0000-7000-8000-000000000001',
  '0190a000-0000-7000-8000-000000000002',
  '0190a000-0000-7000-8000-000000000003',
  '0190a000-0000-7000-8000-000000000004',
  '0190a000-0000-7000-8000-000000000005',
  '0190a000-0000-7000-8000-000000000006',
];

interface PlannedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly eventId: string | undefined;
}
interface PlannedAppend {
  readonly streamId: string;
  /** 'model' stands for the version the stream has at that moment (a correct exact version). */
  readonly expected: ExpectedVersion | 'model';
  readonly events: readonly PlannedEvent[];
  /** Enqueue without waiting, so it shares a group commit with the appends that follow it. */
  readonly concurrent: boolean;
}

const plannedAppend: fc.Arbitrary<PlannedAppend> = fc.record({
  streamId: fc.constantFrom('s1', 's2', 's3', 's4'),
  expected: fc.oneof(
    fc.constant<'model'>('model'),
    fc.constant<ExpectedVersion>('any'),
    fc.constant<ExpectedVersion>('no_stream'),
    fc.constant<ExpectedVersion>('stream_exists'),
    fc.nat({ max: 5 }),
  ),
  events: fc.array(
    fc.record({
      type: fc.constantFrom('A', 'B'),
      data: fc.constantFrom<Record<string, unknown>>({}, { x: 1 }, { x: 2 }),
      eventId: fc.option(fc.constantFrom(...ID_POOL), { nil: undefined, freq: 2 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  concurrent: fc.boolean(),
});

interface ModelEvent {
  readonly position: number;
  readonly eventId: string | undefined;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly data: string;
}
type Outcome = { ok: true; idempotent: boolean; positions: number[]; versions: number[] } | { ok: false; code: string; actualVersion?: number };

class Model {
  readonly events: ModelEvent[] = [];
  private readonly versions = new Map<string, number>();
  private readonly byId = new Map<string, ModelEvent>();

  version(streamId: string): number {
    return this.versions.get(streamId) ?? -1;
  }

  apply(streamId: string, expected: ExpectedVersion, events: readonly PlannedEvent[]): Outcome {
    const ids = events.map((e) => e.eventId).filter((id): id is string => id !== undefined);
    if (new Set(ids).size !== ids.length) return { ok: false, code: 'DUPLICATE_EVENT_ID' };
    const existing = events.map((e) => (e.eventId === undefined ? undefined : this.byId.get(e.eventId)));
    const same = (m: ModelEvent, e: PlannedEvent) => m.streamId === streamId && m.type === e.type && m.data === JSON.stringify(e.data);
    if (existing.some((m, i) => m !== undefined && !same(m, events[i]!))) return { ok: false, code: 'DUPLICATE_EVENT_ID' };
    const found = existing.filter((m) => m !== undefined);
    if (found.length === events.length) return { ok: true, idempotent: true, positions: found.map((m) => m.position), versions: found.map((m) => m.version) };
    if (found.length > 0) return { ok: false, code: 'DUPLICATE_EVENT_ID' };
    const actual = this.version(streamId);
    const holds =
      expected === 'any' || (expected === 'no_stream' ? actual === -1 : expected === 'stream_exists' ? actual >= 0 : actual === expected);
    if (!holds) return { ok: false, code: 'WRONG_EXPECTED_VERSION', actualVersion: actual };
    const written = events.map((e, i): ModelEvent => ({
      position: this.events.length + 1 + i,
      eventId: e.eventId,
      streamId,
      version: actual + 1 + i,
      type: e.type,
      data: JSON.stringify(e.data),
    }));
    for (const m of written) {
      this.events.push(m);
      if (m.eventId !== undefined) this.byId.set(m.eventId, m);
    }
    this.versions.set(streamId, actual + events.length);
    return { ok: true, idempotent: false, positions: written.map((m) => m.position), versions: written.map((m) => m.version) };
  }
}

function outcomeOf(settled: PromiseSettledResult<AppendResult>): Outcome {
  if (settled.status === 'fulfilled') {
    const r = settled.value;
    return { ok: true, idempotent: r.idempotent, positions: r.events.map((e) => e.globalPosition), versions: r.events.map((e) => e.streamVersion) };
  }
  const e = settled.reason as ConsoleError;
  expect(e).toBeInstanceOf(ConsoleError);
  return e.code === 'WRONG_EXPECTED_VERSION' ? { ok: false, code: e.code, actualVersion: e.details!.actualVersion as number } : { ok: false, code: e.code };
}

describe('property: any sequence of appends', () => {
  it('matches the model and leaves gapless positions, gapless versions per stream, a consistent streams table and a valid chain', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plannedAppend, { minLength: 1, maxLength: 30 }), async (plan) => {
        const dir = join(temp.dir('pconsole-prop-'), 'store');
        const store = EventStore.create(dir);
        try {
          const model = new Model();
          const expectedOutcomes: Outcome[] = [];
          const pending: Array<Promise<PromiseSettledResult<AppendResult>>> = [];
          const settled: Array<PromiseSettledResult<AppendResult>> = [];
          for (const step of plan) {
            // The queue applies appends in the order they were made, so the model runs in that order too.
            const expected = step.expected === 'model' ? Math.max(0, model.version(step.streamId)) : step.expected;
            expectedOutcomes.push(model.apply(step.streamId, expected, step.events));
            const promise = store.append({ streamId: step.streamId, expectedVersion: expected, events: step.events.map((e) => ({ ...e })) });
            pending.push(promise.then((value) => ({ status: 'fulfilled', value }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const));
            if (!step.concurrent) settled.push(...(await Promise.all(pending.splice(0))));
          }
          settled.push(...(await Promise.all(pending.splice(0))));

          expect(settled.map(outcomeOf)).toEqual(expectedOutcomes);
          store.close();
          const rows = expectConsistentStore(dir);
          expect(rows.map((r) => ({ position: r.global_position, streamId: r.stream_id, version: r.stream_version, type: r.type, data: r.data }))).toEqual(
            model.events.map(({ position, streamId, version, type, data }) => ({ position, streamId, version, type, data })),
          );
          model.events.forEach((m, i) => {
            if (m.eventId !== undefined) expect(rows[i]!.event_id).toBe(m.eventId);
          });
        } finally {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// export → import round-trips arbitrary event data.

const jsonObject = fc.dictionary(
  fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', '', 'toString')),
  fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }),
  { maxKeys: 6 },
);
const eventInput = fc.record({
  streamId: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.constantFrom('s', 'stream "q"', 'ü/ß', '🚀')),
  type: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }), fc.constant('Typé')),
  data: jsonObject,
  metadata: fc.option(jsonObject, { nil: undefined }),
});

/** The export command's own code path: the NDJSON lines of the whole log. */
function exportText(store: EventStore): string {
  let text = '';
  for (const page of eventPages(store.reader, { backwards: false }))
    text += page.map(toEventJsonLine).join('\n') + '\n';
  return text;
}

describe('property: export → import', () => {
  it('round-trips arbitrary data (unicode, nested JSON, empty objects, odd keys) with the same positions and hashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventInput, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), async (inputs, batchSize) => {
        const root = temp.dir('pconsole-roundtrip-');
        const source = EventStore.create(join(root, 'source'));
        const target = EventStore.create(join(root, 'target'));
        try {
          for (const input of inputs) await source.append({ streamId: input.streamId, events: [{ type: input.type, data: input.data, metadata: input.metadata }] });
          // What was appended is what is stored: JSON's view of the input, keys and all.
          source.reader.readAll(1, 100).forEach((row, i) => {
            expect(JSON.parse(row.data)).toEqual(JSON.parse(JSON.stringify(inputs[i]!.data)));
            expect(row.data).toBe(JSON.stringify(inputs[i]!.data));
            expect(row.streamId).toBe(inputs[i]!.streamId);
          });
          const exported = exportText(source);
          expect(exported.split('\n')).toHaveLength(inputs.length + 1);
          const result = await importNdjson(target, { stream: Readable.from([exported]) }, { batchSize });
          expect(result).toEqual({ imported: inputs.length, skipped: 0, headPosition: inputs.length });
          expect(target.head()).toEqual(source.head());
          expect(exportText(target)).toBe(exported);
          // And importing it again into the same store changes nothing.
          expect(await importNdjson(target, { stream: Readable.from([exported]) })).toEqual({ imported: 0, skipped: inputs.length, headPosition: inputs.length });
          source.close();
          target.close();
          expect(rawEvents(join(root, 'target'))).toEqual(rawEvents(join(root, 'source')));
          expectConsistentStore(join(root, 'target'));
        } finally {
          source.close();
          target.close();
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
