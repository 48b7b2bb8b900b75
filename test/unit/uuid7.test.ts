import { describe, expect, it } from 'vitest';
import { eventIdSchema } from '../../shared/events.js';
import { uuidv7, uuidv7Time } from '../../main/platform/uuid7.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a lower-case UUID that the event id schema accepts unchanged', () => {
    const id = uuidv7();
    expect(id).toMatch(UUID);
    expect(eventIdSchema.parse(id)).toBe(id);
  });

  it('has version 7 and the RFC 9562 variant (10xx) in every id', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect(ids.filter((id) => id[14] !== '7')).toEqual([]);
    expect(ids.filter((id) => !'89ab'.includes(id[19]!))).toEqual([]);
    // Both variants' low bits do occur: the random bits are not masked away.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
  });

  it('carries its millisecond timestamp in the first 48 bits', () => {
    for (const t of [0, 1, 0xffff_ffff, 0x1_0000_0000, 1767225600000, 2 ** 48 - 1]) {
      const id = uuidv7(t);
      expect(uuidv7Time(id)).toBe(t);
      expect(id.slice(0, 8) + id.slice(9, 13)).toBe(t.toString(16).padStart(12, '0'));
    }
  });

  it('sorts in time order: an id of a later millisecond sorts after every id of an earlier one', () => {
    const ids: string[] = [];
    const times = [1, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 1767225600000, 1767225600001, 2 ** 47];
    for (const t of times) for (let i = 0; i < 50; i++) ids.push(uuidv7(t));
    // ids were made in time order, so sorting them as strings must keep the times in that order.
    expect([...ids].sort().map(uuidv7Time)).toEqual(ids.map(uuidv7Time));
  });

  it('uses the current time by default', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(uuidv7Time(id)).toBeGreaterThanOrEqual(before);
    expect(uuidv7Time(id)).toBeLessThanOrEqual(after);
  });

  it('never repeats over 100,000 ids in the same millisecond (74 random bits)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(uuidv7(1767225600000));
    expect(seen.size).toBe(100_000);
  });

  it('never repeats over 100,000 ids generated as fast as possible, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(uuidv7());
    expect(seen.size).toBe(100_000);
  });

  it('spreads its random bits (each hex digit of the random part takes many values)', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7(42));
    // Positions of the 74 random bits that are whole hex digits: 15-17, 20-22, 24-35.
    for (const at of [15, 16, 17, 20, 21, 22, ...Array.from({ length: 12 }, (_, i) => 24 + i)]) {
      const digits = new Set(ids.map((id) => id[at]));
      expect(digits.size, `hex digit ${at}`).toBe(16);
    }
  });
});
