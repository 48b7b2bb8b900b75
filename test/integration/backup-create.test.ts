import { DEAD_PID, writeLockHeldBy } from '../helpers/locks.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup, type CreatedBackup, type CreateBackupRequest } from '../../main/backup/createBackup.js';
import { acquireDestinationLock, LOCK_FILE } from '../../main/backup/destinationLock.js';
import { extractArchive } from '../../main/backup/extractArchive.js';
import { verifyArchive } from '../../main/backup/verifyArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import { importNdjson } from '../../main/store/importer.js';
import type { BackupProgress } from '../../shared/backup.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { filesIn, finalNames, headOf, newKeyPair } from '../helpers/backup-files.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { startAppendLoop } from '../helpers/children.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

async function created(request: CreateBackupRequest, ctx: Parameters<typeof createBackup>[1] = {}): Promise<CreatedBackup> {
  const result = await createBackup(request, ctx);
  if (!result.created) throw new Error(`expected an archive, got: ${result.message}`);
  return result;
}

function append(dir: string, count: number): void {
  const store = EventStore.open(dir);
  try {
    fillStore(store, count, { streams: 1, perAppend: Math.min(count, 50) });
  } finally {
    store.close();
  }
}

describe('createBackup: full archives', () => {
  it.each(['vacuum-into', 'backup-api'] as const)('a full backup (%s) taken while another process appends verifies and ends exactly at its manifest’s toPosition', async (snapshot) => {
    const dir = temp.path();
    createFilledStore(dir, 30_000, { streams: 20, perAppend: 1000, dataBytes: 200 });
    const out = temp.dir();
    const child = startAppendLoop({ store: dir, count: 0, mode: 'queue', workers: 3, streamPrefix: 'during-backup', maxBatch: 3 });
    await child.firstAck;
    const before = child.acks.length;
    let result: CreatedBackup;
    try {
      result = await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' }, snapshot });
    } finally {
      child.process.kill('SIGTERM');
    }
    const exit = await child.exited;
    expect(exit.stderr).toBe('');
    // Appends went on while the backup ran.
    expect(child.acks.length).toBeGreaterThan(before);
    const m = result.manifest;
    expect(m.toPosition).toBeGreaterThan(30_000);
    expect(m).toMatchObject({ kind: 'full', fromPosition: 0, fromHash: GENESIS_HASH, eventCount: m.toPosition, encryption: 'none' });

    const verification = await verifyArchive({ archive: result.archive });
    expect(verification.problems).toEqual([]);
    expect(verification).toMatchObject({ ok: true, eventsChecked: m.toPosition });
    // The archived events.db ends exactly where its manifest says: same position and hash as the store there.
    const extracted = await extractArchive(result.archive, temp.dir());
    expect(headOf(extracted.members.find((x) => x.name === 'events.db')!.path)).toEqual({ position: m.toPosition, hash: m.toHash });
    const store = EventStore.open(dir, { readonly: true });
    try {
      expect(store.reader.eventAt(m.toPosition)?.hash).toBe(m.toHash);
    } finally {
      store.close();
    }
    expectConsistentStore(dir);
    expect(finalNames(out)).toEqual([`${result.archive.split('/').pop()}`, `${result.archive.split('/').pop()}.manifest.json`, `${result.archive.split('/').pop()}.verification.json`]);
    expect(filesIn(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('reports its phases as progress and names each step with its duration', async () => {
    const dir = temp.path();
    createFilledStore(dir, 5000, { perAppend: 500 });
    const seen: BackupProgress[] = [];
    const result = await created({ storeDir: dir, destination: temp.dir(), kind: 'full', encryption: { kind: 'none' }, includeViews: true }, { onProgress: (p) => seen.push(p) });
    expect([...new Set(seen.map((p) => p.phase))]).toEqual(['preparing', 'snapshot', 'checksums', 'archiving', 'syncing']);
    expect(result.steps.map((s) => s.name)).toEqual(['prepare', 'snapshot', 'checksums', 'archive', 'publish']);
    expect(result.manifest.members.map((m) => m.name)).toEqual(['events.db', 'views.db']);
    const archiving = seen.filter((p) => p.phase === 'archiving');
    expect(archiving.at(-1)!.done).toBe(archiving.at(-1)!.total);
  });

  it('gives two backups of the same head in the same second different names', async () => {
    const dir = temp.path();
    createFilledStore(dir, 10);
    const out = temp.dir();
    const clock = () => Date.parse('2026-05-05T05:05:05.500Z');
    const a = await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } }, { clock });
    const b = await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } }, { clock });
    expect(a.archive).toMatch(/-full-0-10-20260505T050505Z\.tar\.gz$/);
    expect(b.archive).toMatch(/-full-0-10-20260505T050506Z\.tar\.gz$/);
    expect(b.manifest.createdAt).toBe('2026-05-05T05:05:06.500Z');
  });

  it('encrypts to a recipient or a passphrase; the archive name ends in .age', async () => {
    const dir = temp.path();
    createFilledStore(dir, 200, { perAppend: 50 });
    const { identity, recipient } = await newKeyPair();
    const toRecipient = await created({ storeDir: dir, destination: temp.dir(), kind: 'full', encryption: { kind: 'age-recipient', recipients: [recipient] } });
    expect(toRecipient.archive.endsWith('.tar.gz.age')).toBe(true);
    expect(toRecipient.manifest.encryption).toBe('age-recipient');
    expect((await verifyArchive({ archive: toRecipient.archive, keys: { identities: [identity] } })).ok).toBe(true);
    const withPassphrase = await created({ storeDir: dir, destination: temp.dir(), kind: 'full', encryption: { kind: 'age-passphrase', passphrase: 'pw', scryptLogN: 10 } });
    expect(withPassphrase.manifest.encryption).toBe('age-passphrase');
    expect((await verifyArchive({ archive: withPassphrase.archive, keys: { passphrases: ['pw'] } })).ok).toBe(true);
  });

  it('refuses a bad recipient or compression level before writing anything', async () => {
    const dir = temp.path();
    createFilledStore(dir, 5);
    const out = temp.dir();
    await expectConsoleError(() => createBackup({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'age-recipient', recipients: ['age1bad'] } }), 'INVALID_INPUT');
    await expectConsoleError(() => createBackup({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' }, compressionLevel: 12 }), 'INVALID_INPUT');
    await expectConsoleError(() => createBackup({ storeDir: temp.path('absent'), destination: out, kind: 'full', encryption: { kind: 'none' } }), 'NOT_FOUND');
    expect(filesIn(out)).toEqual([]);
  });
});

describe('createBackup: incremental archives and chains', () => {
  it('continues the newest archive of the chain; the chain restores to the store’s exact head', async () => {
    const dir = temp.path();
    createFilledStore(dir, 1000, { perAppend: 100 });
    const out = temp.dir();
    const full = await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } });
    append(dir, 120);
    const first = await created({ storeDir: dir, destination: out, kind: 'incremental', encryption: { kind: 'none' } });
    append(dir, 80);
    const second = await created({ storeDir: dir, destination: out, kind: 'incremental', encryption: { kind: 'none' } });
    expect(first).toMatchObject({ continues: full.archive, manifest: { kind: 'incremental', fromPosition: 1000, toPosition: 1120, eventCount: 120, fromHash: full.manifest.toHash } });
    expect(second).toMatchObject({ continues: first.archive, manifest: { fromPosition: 1120, toPosition: 1200, fromHash: first.manifest.toHash } });
    expect(first.manifest.members.map((m) => m.name)).toEqual(['events.ndjson']);
    for (const a of [first, second]) expect(await verifyArchive({ archive: a.archive })).toMatchObject({ ok: true, continuity: 'ok', problems: [] });
    expect((await verifyArchive({ archive: second.archive })).previousArchive).toBe(first.archive);

    // Restore by hand: the full archive's events.db, then each events.ndjson through import.
    const restored = temp.path('restored');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(restored);
    const db = await extractArchive(full.archive, temp.dir());
    copyFileSync(db.members.find((m) => m.name === 'events.db')!.path, join(restored, 'events.db'));
    const store = temp.track(EventStore.open(restored));
    for (const incr of [first, second]) {
      const x = await extractArchive(incr.archive, temp.dir());
      await importNdjson(store, { path: x.members.find((m) => m.name === 'events.ndjson')!.path });
    }
    expect(store.head()).toMatchObject({ position: 1200, hash: second.manifest.toHash });
  });

  it('says so when there is nothing new, and writes nothing', async () => {
    const dir = temp.path();
    createFilledStore(dir, 20);
    const out = temp.dir();
    const full = await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } });
    const before = filesIn(out);
    const again = await createBackup({ storeDir: dir, destination: out, kind: 'incremental', encryption: { kind: 'none' } });
    expect(again).toMatchObject({ created: false, reason: 'nothing-new', previous: full.archive, headPosition: 20 });
    expect(filesIn(out)).toEqual(before);
  });

  it('without a full archive to continue: NOT_FOUND, or a full backup when fullWhenNoChain', async () => {
    const dir = temp.path();
    createFilledStore(dir, 20);
    const out = temp.dir();
    const error = await expectConsoleError(() => createBackup({ storeDir: dir, destination: out, kind: 'incremental', encryption: { kind: 'none' } }), 'NOT_FOUND');
    expect(error.message).toContain('take a full backup first');
    const fallback = await created({ storeDir: dir, destination: out, kind: 'incremental', encryption: { kind: 'none' }, fullWhenNoChain: true });
    expect(fallback).toMatchObject({ fellBackToFull: true, manifest: { kind: 'full', toPosition: 20 } });
  });

  it('refuses to continue a chain whose history the store does not share', async () => {
    const original = temp.path('original');
    createFilledStore(original, 100, { perAppend: 10 });
    const out = temp.dir();
    await created({ storeDir: original, destination: out, kind: 'full', encryption: { kind: 'none' } });
    const copy = temp.path('copy');
    const { cpSync } = await import('node:fs');
    cpSync(original, copy, { recursive: true });
    append(original, 10);
    await created({ storeDir: original, destination: out, kind: 'incremental', encryption: { kind: 'none' } });
    append(copy, 25); // the copy goes its own way after position 100
    const diverged = await expectConsoleError(() => createBackup({ storeDir: copy, destination: out, kind: 'incremental', encryption: { kind: 'none' } }), 'INTEGRITY_VIOLATION');
    expect(diverged.message).toContain('history differs');
    const behind = temp.path('behind');
    cpSync(original, behind, { recursive: true });
    const { rmSync } = await import('node:fs');
    rmSync(join(behind, 'head.json'));
    const { withRawDb } = await import('../helpers/rawDb.js');
    withRawDb(behind, (raw) => raw.prepare('DELETE FROM events WHERE global_position > 105').run());
    await expectConsoleError(() => createBackup({ storeDir: behind, destination: out, kind: 'incremental', encryption: { kind: 'none' } }), 'INTEGRITY_VIOLATION');
  });
});

describe('createBackup: one at a time, and nothing half-written', () => {
  it('is BUSY while another backup holds the folder; a lock left by a dead process is taken over', async () => {
    const dir = temp.path();
    createFilledStore(dir, 10);
    const out = temp.dir();
    const lock = await acquireDestinationLock(out, 'a test');
    try {
      await expectConsoleError(() => createBackup({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } }), 'BUSY');
    } finally {
      lock.release();
    }
    writeLockHeldBy(join(out, LOCK_FILE), DEAD_PID);
    writeFileSync(join(out, '.pconsole-partial-dead-leftover.tar.gz'), 'left by a killed run');
    await created({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } });
    expect(filesIn(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each(['snapshot', 'checksums', 'archiving'] as const)('cancelled during %s: CANCELLED, no file left under any name', async (phase) => {
    const dir = temp.path();
    createFilledStore(dir, 20_000, { perAppend: 1000, dataBytes: 100 });
    const out = temp.dir();
    let cancel = false;
    await expectConsoleError(
      () =>
        createBackup(
          { storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' }, compressionLevel: 9, parallelism: 1 },
          {
            onProgress: (p) => {
              if (p.phase === phase) cancel = true;
            },
            isCancelled: () => cancel,
          },
        ),
      'CANCELLED',
    );
    expect(filesIn(out)).toEqual([]);
    expectConsistentStore(dir);
  });
});
