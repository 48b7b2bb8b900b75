import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import { parseImportLine } from '../../main/store/importer.js';

const ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const HASH = 'ab'.repeat(32);

function errorOf(text: string, line = 7): ConsoleError {
  try {
    parseImportLine(text, line);
  } catch (error) {
    expect(error).toBeInstanceOf(ConsoleError);
    return error as ConsoleError;
  }
  throw new Error(`parseImportLine accepted ${text}`);
}

describe('parseImportLine', () => {
  it('accepts a new event with only the required fields', () => {
    expect(parseImportLine('{"streamId":"s","type":"T","data":{}}', 1)).toEqual({ streamId: 's', type: 'T', data: {} });
  });

  it('accepts a new event with metadata, an id (lower-cased) and a time as ISO text or milliseconds', () => {
    const line = parseImportLine(
      JSON.stringify({ streamId: 's', type: 'T', data: { a: [1, { b: null }] }, metadata: { actor: 'x' }, eventId: ID.toUpperCase(), recordedAt: '2026-01-01T00:00:00.000Z' }),
      1,
    );
    expect(line.eventId).toBe(ID);
    expect(line.recordedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(line.data).toEqual({ a: [1, { b: null }] });
    expect(parseImportLine(JSON.stringify({ streamId: 's', type: 'T', data: {}, recordedAt: 1767225600000 }), 1).recordedAt).toBe(1767225600000);
  });

  it('accepts an exported event (DESIGN §6b) with all its fields', () => {
    const exported = {
      globalPosition: 3,
      eventId: ID,
      streamId: 's',
      streamVersion: 0,
      type: 'T',
      data: {},
      metadata: {},
      recordedAt: '2026-01-01T00:00:00.000Z',
      hash: HASH,
    };
    expect(parseImportLine(JSON.stringify(exported), 1)).toMatchObject({ globalPosition: 3, streamVersion: 0, hash: HASH });
  });

  it('keeps every key of data and metadata, "__proto__" included (it is part of an exported hash)', () => {
    const line = parseImportLine('{"streamId":"s","type":"T","data":{"__proto__":{"x":1},"a":2},"metadata":{"__proto__":null}}', 1);
    expect(JSON.stringify(line.data)).toBe('{"__proto__":{"x":1},"a":2}');
    expect(JSON.stringify(line.metadata)).toBe('{"__proto__":null}');
    expect(Object.getPrototypeOf(line.data)).toBe(Object.prototype);
  });

  it('refuses malformed JSON as INVALID_INPUT naming the line', () => {
    const e = errorOf('{"streamId":"s",', 12);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^line 12: malformed JSON/);
    expect(e.details).toEqual({ line: 12 });
  });

  it.each([
    ['a JSON array', '[1,2]', ''],
    ['a JSON string', '"x"', ''],
    ['null', 'null', ''],
    ['a missing streamId', '{"type":"T","data":{}}', 'streamId'],
    ['a missing type', '{"streamId":"s","data":{}}', 'type'],
    ['a missing data', '{"streamId":"s","type":"T"}', 'data'],
    ['data that is an array', '{"streamId":"s","type":"T","data":[]}', 'data'],
    ['data that is a string', '{"streamId":"s","type":"T","data":"x"}', 'data'],
    ['metadata that is a number', '{"streamId":"s","type":"T","data":{},"metadata":1}', 'metadata'],
    ['an empty streamId', '{"streamId":"","type":"T","data":{}}', 'streamId'],
    ['a streamId with a newline', '{"streamId":"a\\nb","type":"T","data":{}}', 'streamId'],
    ['a type with a control character', '{"streamId":"s","type":"T\\u0001","data":{}}', 'type'],
    ['a streamId longer than 256 characters', JSON.stringify({ streamId: 'x'.repeat(257), type: 'T', data: {} }), 'streamId'],
    ['a bad UUID', '{"streamId":"s","type":"T","data":{},"eventId":"not-a-uuid"}', 'eventId'],
    ['a UUID without dashes', `{"streamId":"s","type":"T","data":{},"eventId":"${ID.replaceAll('-', '')}"}`, 'eventId'],
    ['a recordedAt that is not a date', '{"streamId":"s","type":"T","data":{},"recordedAt":"yesterday"}', 'recordedAt'],
    ['a negative recordedAt', '{"streamId":"s","type":"T","data":{},"recordedAt":-1}', 'recordedAt'],
    ['a position of 0', `{"streamId":"s","type":"T","data":{},"eventId":"${ID}","recordedAt":1,"globalPosition":0,"streamVersion":0,"hash":"${HASH}"}`, 'globalPosition'],
    ['an upper-case hash', `{"streamId":"s","type":"T","data":{},"eventId":"${ID}","recordedAt":1,"globalPosition":1,"streamVersion":0,"hash":"${HASH.toUpperCase()}"}`, 'hash'],
    ['a short hash', `{"streamId":"s","type":"T","data":{},"eventId":"${ID}","recordedAt":1,"globalPosition":1,"streamVersion":0,"hash":"abc"}`, 'hash'],
    ['part of the exported fields (no hash)', `{"streamId":"s","type":"T","data":{},"eventId":"${ID}","recordedAt":1,"globalPosition":1,"streamVersion":0}`, ''],
    ['exported fields without an eventId', `{"streamId":"s","type":"T","data":{},"recordedAt":1,"globalPosition":1,"streamVersion":0,"hash":"${HASH}"}`, ''],
    ['exported fields without a recordedAt', `{"streamId":"s","type":"T","data":{},"eventId":"${ID}","globalPosition":1,"streamVersion":0,"hash":"${HASH}"}`, ''],
  ])('refuses %s as INVALID_INPUT naming the line and the field', (_what, text, field) => {
    const e = errorOf(text, 3);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message.startsWith('line 3: ')).toBe(true);
    if (field !== '') expect(e.message).toContain(field);
    expect(e.details).toEqual({ line: 3 });
  });
});
