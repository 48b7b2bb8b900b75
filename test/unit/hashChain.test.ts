import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../shared/events.js';
import { chainHash } from '../../main/store/hashChain.js';

// The hash chain is part of the store format: every existing store and archive was hashed with it.
// These vectors were computed once, independently (Python hashlib over the documented encoding), and
// must never change. If this test fails, the format changed: that breaks every store ever written.
const FIRST = {
  previousHash: GENESIS_HASH,
  position: 1,
  eventId: '01890a5d-ac96-774b-bcce-b302099a8057',
  streamId: 'order-42',
  streamVersion: 0,
  type: 'OrderPlaced',
  recordedAt: 1767225600000,
  metadata: '{"actor":"admin"}',
  data: '{"total":12.5,"items":["a","ü"]}',
};
const FIRST_HASH = 'eef4098e2cfa9b29183b388fe921022a9f0adf3565b3ee876a2426e4f15561a8';
const SECOND_HASH = '73e5be94d7f7cb8c7b0ebb2d18e5cd130266d1ace5cf14e092354d6d75c68f24';

function hashOf(e: typeof FIRST): string {
  return chainHash(e.previousHash, e.position, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data);
}

/** The encoding as DESIGN §4 and hashChain.ts document it, written out independently. */
function reference(e: typeof FIRST): string {
  const text = [e.previousHash, e.position, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data].join('\n');
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('chainHash', () => {
  it('matches the fixed vector for the first event (chained from 32 zero bytes)', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(hashOf(FIRST)).toBe(FIRST_HASH);
  });

  it('matches the fixed vector for an event chained from the first', () => {
    const second = {
      previousHash: FIRST_HASH,
      position: 2,
      eventId: '01890a5d-ac97-7000-8000-000000000002',
      streamId: 'order-42',
      streamVersion: 1,
      type: 'OrderShipped',
      recordedAt: 1767225600001,
      metadata: '{}',
      data: '{}',
    };
    expect(hashOf(second)).toBe(SECOND_HASH);
  });

  it('is 64 lower-case hex characters', () => {
    expect(hashOf(FIRST)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any single field changes', () => {
    const variants: Array<Partial<typeof FIRST>> = [
      { previousHash: '1' + GENESIS_HASH.slice(1) },
      { position: 2 },
      { eventId: '01890a5d-ac96-774b-bcce-b302099a8058' },
      { streamId: 'order-43' },
      { streamVersion: 1 },
      { type: 'OrderPlacedX' },
      { recordedAt: FIRST.recordedAt + 1 },
      { metadata: '{"actor":"admin2"}' },
      { data: '{"total":12.6,"items":["a","ü"]}' },
    ];
    const hashes = new Set(variants.map((v) => hashOf({ ...FIRST, ...v })));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(FIRST_HASH)).toBe(false);
  });

  it('does not confuse field boundaries (moving text between neighbouring fields changes the hash)', () => {
    const a = hashOf({ ...FIRST, streamId: 'ab', type: 'c' });
    const b = hashOf({ ...FIRST, streamId: 'a', type: 'bc' });
    expect(a).not.toBe(b);
  });

  it('equals SHA-256 over the documented UTF-8 encoding for arbitrary fields', () => {
    fc.assert(
      fc.property(
        fc.record({
          previousHash: fc.stringMatching(/^[0-9a-f]{64}$/),
          position: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          eventId: fc.uuid(),
          streamId: fc.string({ unit: 'grapheme', minLength: 1 }),
          streamVersion: fc.nat(),
          type: fc.string({ unit: 'grapheme', minLength: 1 }),
          recordedAt: fc.integer({ min: 0, max: 8_640_000_000_000_000 }),
          metadata: fc.json(),
          data: fc.json(),
        }),
        (e) => {
          expect(hashOf(e)).toBe(reference(e));
        },
      ),
      { numRuns: 300 },
    );
  });
});
