import { describe, expect, it } from 'vitest';
import { NdjsonChainCheck } from '../../main/backup/ndjsonChain.js';
import { chainHash } from '../../main/store/hashChain.js';
import { toEventJsonLine, type StoredEvent } from '../../main/store/storedEvent.js';
import { GENESIS_HASH } from '../../shared/events.js';

/**
 * A restore validates incremental archives with the backup engine's NdjsonChainCheck, which sees the member
 * in pieces cut anywhere by gunzip: a piece may end inside a multi-byte UTF-8 character ("Tromsø", "Zürich").
 * Found by the recovery benchmark: such an archive was reported as INTEGRITY_VIOLATION (a false alarm).
 */
describe('NdjsonChainCheck with pieces cut inside a character', () => {
  it('checks the chain the same wherever the bytes are split', () => {
    let hash = GENESIS_HASH;
    const events: StoredEvent[] = ['Tromsø', 'Zürich', 'Gdańsk 🚚', 'Montréal'].map((city, i) => {
      const e = {
        globalPosition: i + 1,
        eventId: `01890000-0000-7000-8000-00000000000${i}`,
        streamId: `s-${i % 2}`,
        streamVersion: Math.floor(i / 2),
        type: 'OrderShipped',
        data: JSON.stringify({ city }),
        metadata: '{}',
        recordedAt: 1_700_000_000_000 + i,
      };
      hash = chainHash(hash, e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data);
      return { ...e, hash };
    });
    const bytes = Buffer.from(events.map((e) => toEventJsonLine(e) + '\n').join(''), 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const check = new NdjsonChainCheck(0, GENESIS_HASH);
      check.write(bytes.subarray(0, cut));
      check.write(bytes.subarray(cut));
      check.end();
      expect(check.problems, `cut at byte ${cut}`).toEqual([]);
      expect(check.checked).toBe(4);
      expect(check.lastHash).toBe(hash);
    }
  });
});
