import { describe, expect, it } from 'vitest';
import { expectedVersionSchema, parseExpectedVersion, type ExpectedVersion } from '../../shared/events.js';
import { expectedVersionMismatch } from '../../main/store/writer.js';

// `actual` is the stream's current version, -1 when the stream does not exist.
describe('expectedVersionMismatch', () => {
  const cases: Array<[ExpectedVersion, number, boolean]> = [
    ['any', -1, true],
    ['any', 0, true],
    ['any', 41, true],
    ['no_stream', -1, true],
    ['no_stream', 0, false],
    ['no_stream', 7, false],
    ['stream_exists', -1, false],
    ['stream_exists', 0, true],
    ['stream_exists', 7, true],
    [0, -1, false],
    [0, 0, true],
    [0, 1, false],
    [5, 5, true],
    [5, 4, false],
    [5, 6, false],
  ];
  it.each(cases)('expected %s with the stream at %i holds: %s', (expected, actual, holds) => {
    const mismatch = expectedVersionMismatch(expected, actual);
    if (holds) expect(mismatch).toBeUndefined();
    else expect(mismatch).toEqual(expect.any(String));
  });

  it('says what the stream actually is', () => {
    expect(expectedVersionMismatch('no_stream', 3)).toContain('version 3');
    expect(expectedVersionMismatch(2, 9)).toContain('at version 9');
    expect(expectedVersionMismatch(2, 9)).toContain('expected 2');
    expect(expectedVersionMismatch(2, -1)).toContain('does not exist');
    expect(expectedVersionMismatch('stream_exists', -1)).toContain('does not exist');
  });
});

describe('parseExpectedVersion (the CLI spelling)', () => {
  it.each([
    ['any', 'any'],
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['0', 0],
    ['17', 17],
    ['999999999999999', 999_999_999_999_999],
  ])('parses %j', (text, value) => {
    expect(parseExpectedVersion(text)).toBe(value);
  });

  it.each(['', 'ANY', 'none', '-1', '1.5', ' 1', '1e3', '0x10', '1000000000000000', 'exists'])('refuses %j', (text) => {
    expect(parseExpectedVersion(text)).toBeUndefined();
  });

  it('produces only values the request schema accepts', () => {
    for (const text of ['any', 'no_stream', 'stream_exists', '0', '12']) {
      expect(expectedVersionSchema.safeParse(parseExpectedVersion(text)).success).toBe(true);
    }
    expect(expectedVersionSchema.safeParse(-1).success).toBe(false);
    expect(expectedVersionSchema.safeParse(1.5).success).toBe(false);
    expect(expectedVersionSchema.safeParse('0').success).toBe(false);
  });
});
