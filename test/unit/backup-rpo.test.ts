import { describe, expect, it } from 'vitest';
import { rpoStatus } from '../../main/backup/rpo.js';
import { fakeEntry, STORE_ID } from '../helpers/backup-entries.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('rpoStatus', () => {
  it('measures the age of the newest verified backup against the target', () => {
    const older = { ...fakeEntry({ kind: 'full', from: 0, to: 10, at: T0 }), verified: true };
    const newer = fakeEntry({ kind: 'incremental', from: 10, to: 20, at: T0 + 5 * HOUR });
    const status = rpoStatus([older, newer], STORE_ID, T0 + 6 * HOUR, 4 * 60);
    expect(status).toMatchObject({ newest: { archive: newer.archive, ageMs: HOUR }, newestVerified: { archive: older.archive, ageMs: 6 * HOUR }, breached: true });
    expect(rpoStatus([older, { ...newer, verified: true }], STORE_ID, T0 + 6 * HOUR, 4 * 60).breached).toBe(false);
    expect(rpoStatus([], STORE_ID, T0, 60)).toMatchObject({ newest: null, newestVerified: null, breached: true });
    expect(rpoStatus([older], STORE_ID, T0, null).breached).toBeNull();
    expect(rpoStatus([older], 'another-store', T0, 60).newest).toBeNull();
  });
});
