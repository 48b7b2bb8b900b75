import { z } from 'zod';
import { MAX_JSON_DEPTH, withinJsonDepth } from './json.js';

/** Limits that keep one event from exhausting memory on any side of the wire. */
export const MAX_NAME_LENGTH = 256;
export const MAX_EVENT_JSON_BYTES = 4 * 1024 * 1024;
/**
 * The most bytes of JSON text that can spell an event within MAX_EVENT_JSON_BYTES: text may write the same
 * JSON up to three times longer than it is stored (`\u00e9` for `é`, as ASCII-only encoders do; indentation),
 * plus an envelope. Files and lines from outside are read up to this and refused past it, while reading.
 */
export const MAX_EVENT_TEXT_BYTES = 3 * MAX_EVENT_JSON_BYTES + 64 * 1024;
export const MAX_EVENTS_PER_APPEND = 10_000;

// Control characters are refused in names: they would make logs, terminals and the hash encoding ambiguous.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const name = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(MAX_NAME_LENGTH, `${what} is longer than ${MAX_NAME_LENGTH} characters`)
    .refine((s) => !CONTROL_CHARACTERS.test(s), `${what} must not contain control characters`);

export const streamIdSchema = name('stream id');
export const eventTypeSchema = name('event type');

/** Any UUID (8-4-4-4-12 hex); stored lower-case. Ids the engine generates are UUIDv7. */
export const eventIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'not a UUID')
  .transform((s) => s.toLowerCase());

/**
 * A JSON object, passed on as the very object given: a key-by-key copy (what z.record makes) would turn a
 * "__proto__" key into the copy's prototype and silently drop it from the event.
 */
export const jsonObjectSchema = z
  .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a JSON object')
  // Bounded here, whatever the transport (an IPC payload arrives already parsed): deeper values would
  // overflow the stack when they are encoded for the hash (shared/json.ts).
  .refine((v) => withinJsonDepth(v, MAX_JSON_DEPTH), `nested deeper than ${MAX_JSON_DEPTH} levels`);

export const expectedVersionSchema = z.union([
  z.literal('any'),
  z.literal('no_stream'),
  z.literal('stream_exists'),
  z.number().int().min(0),
]);
export type ExpectedVersion = z.infer<typeof expectedVersionSchema>;

/** Parses the CLI/query-string spelling of an expected version ("any", "no_stream", "stream_exists", "4"). */
export function parseExpectedVersion(text: string): ExpectedVersion | undefined {
  if (text === 'any' || text === 'no_stream' || text === 'stream_exists') return text;
  if (/^\d{1,15}$/.test(text)) return Number(text);
  return undefined;
}

export const newEventSchema = z.object({
  type: eventTypeSchema,
  data: jsonObjectSchema,
  metadata: jsonObjectSchema.optional(),
  eventId: eventIdSchema.optional(),
});
export type NewEvent = z.input<typeof newEventSchema>;

export const appendRequestSchema = z.object({
  streamId: streamIdSchema,
  expectedVersion: expectedVersionSchema.default('any'),
  events: z.array(newEventSchema).min(1).max(MAX_EVENTS_PER_APPEND),
});
export type AppendRequest = z.input<typeof appendRequestSchema>;

export interface AppendedEvent {
  readonly eventId: string;
  readonly globalPosition: number;
  readonly streamVersion: number;
}

export interface AppendResult {
  /** Position and version of the last event of the request (the CLI `append --json` shape). */
  readonly globalPosition: number;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly events: readonly AppendedEvent[];
  /** True when every event already existed with the same content: nothing was written. */
  readonly idempotent: boolean;
}

/** An event as it crosses every boundary: API, CLI output, export and import lines (DESIGN §6b). */
export interface EventRecord {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** ISO-8601 UTC with milliseconds. */
  readonly recordedAt: string;
  /** 64 hex characters. */
  readonly hash: string;
}

export interface StreamSummary {
  readonly streamId: string;
  /** Number of events; the last stream version is `events - 1`. */
  readonly events: number;
  readonly version: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The hash every chain starts from: 32 zero bytes as 64 hex characters. */
export const GENESIS_HASH = '0'.repeat(64);
