import { z } from 'zod';
import { eventIdSchema, eventTypeSchema, jsonObjectSchema, MAX_EVENT_TEXT_BYTES, streamIdSchema } from './events.js';

/**
 * The longest line an import (or an archive's events.ndjson) may have: no longer than the text of one
 * event can be (MAX_EVENT_TEXT_BYTES). A longer line is refused as soon as it is seen, without reading the
 * rest of it.
 */
export const MAX_IMPORT_LINE_BYTES = MAX_EVENT_TEXT_BYTES;

/**
 * One line of an import file (DESIGN §6): a new event, or an exported event (§6b) whose position,
 * stream version and hash are checked on the way in so an export re-imports into an identical store.
 */
export const importLineSchema = z
  .object({
    streamId: streamIdSchema,
    type: eventTypeSchema,
    data: jsonObjectSchema,
    metadata: jsonObjectSchema.optional(),
    eventId: eventIdSchema.optional(),
    recordedAt: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]).optional(),
    globalPosition: z.number().int().min(1).optional(),
    streamVersion: z.number().int().min(0).optional(),
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'hash must be 64 lower-case hex characters')
      .optional(),
  })
  .refine(
    (l) => {
      const exported = [l.globalPosition, l.streamVersion, l.hash].filter((v) => v !== undefined).length;
      return exported === 0 || (exported === 3 && l.eventId !== undefined && l.recordedAt !== undefined);
    },
    { message: 'an exported event needs all of globalPosition, streamVersion, hash, eventId and recordedAt' },
  );

export type ImportLine = z.output<typeof importLineSchema>;
