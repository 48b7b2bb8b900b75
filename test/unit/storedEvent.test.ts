import { describe, expect, it } from 'vitest';
import { toEventJsonLine, toEventRecord, type StoredEvent } from '../../main/store/storedEvent.js';

const row: StoredEvent = {
  globalPosition: 42,
  eventId: '01890a5d-ac96-774b-bcce-b302099a8057',
  streamId: 'weird "stream" \\ with ünïcødé 🚀 and \u2028',
  streamVersion: 3,
  type: 'Type "quoted"',
  data: JSON.stringify({ text: 'line\nbreak', n: 1.5, nested: { a: [null, true] }, '': 'empty key', lone: '\ud800' }),
  metadata: JSON.stringify({ actor: 'ädmin' }),
  recordedAt: 1767225600123,
  hash: 'ab'.repeat(32),
};

describe('event JSON (DESIGN §6b)', () => {
  it('toEventRecord parses data and metadata and gives the time as ISO-8601 UTC with milliseconds', () => {
    expect(toEventRecord(row)).toEqual({
      globalPosition: 42,
      eventId: row.eventId,
      streamId: row.streamId,
      streamVersion: 3,
      type: row.type,
      data: JSON.parse(row.data) as unknown,
      metadata: { actor: 'ädmin' },
      recordedAt: '2026-01-01T00:00:00.123Z',
      hash: row.hash,
    });
  });

  it('toEventJsonLine is one line of valid JSON equal to the record, with the fields in the documented order', () => {
    const line = toEventJsonLine(row);
    expect(line).not.toContain('\n');
    expect(line).not.toContain('\r');
    expect(JSON.parse(line)).toEqual(toEventRecord(row));
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      'globalPosition',
      'eventId',
      'streamId',
      'streamVersion',
      'type',
      'data',
      'metadata',
      'recordedAt',
      'hash',
    ]);
  });

  it('keeps the stored data and metadata text byte for byte (the hash was computed over it)', () => {
    const line = toEventJsonLine(row);
    expect(line).toContain(`"data":${row.data},`);
    expect(line).toContain(`"metadata":${row.metadata},`);
  });
});
