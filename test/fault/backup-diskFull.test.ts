import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/createBackup.js';
import { verifyArchive } from '../../main/backup/verifyArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import type { BackupPhase } from '../../shared/backup.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';

/**
 * A real full disk: a 4 MiB tmpfs as the backup folder. Mounting needs root (CAP_SYS_ADMIN); where it is
 * not allowed the tests are skipped and say why, rather than faking ENOSPC.
 */
const root = mkdtempSync(join(tmpdir(), 'pconsole-diskfull-'));
const disk = join(root, 'small-disk');
let skipReason: string | undefined;
beforeAll(() => {
  mkdirSync(disk);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk], { encoding: 'utf8' });
  if (mount.status !== 0) {
    skipReason = `cannot mount a 4 MiB tmpfs here (${(mount.stderr || mount.error?.message || 'mount failed').trim()}): run these tests as root`;
    console.warn(`backup disk-full tests skipped: ${skipReason}`);
  }
});
afterAll(() => {
  if (skipReason === undefined) spawnSync('umount', [disk]);
  rmSync(root, { recursive: true, force: true });
});

function freeBytes(): number {
  const s = statfsSync(disk);
  return s.bavail * s.bsize;
}

/** Fills the small disk so that only `leave` bytes stay free. */
function fillDisk(leave: number): void {
  const size = Math.max(0, freeBytes() - leave);
  if (size > 0) writeFileSync(join(disk, 'filler.bin'), Buffer.alloc(size));
}

function emptyDisk(): void {
  for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
}

function storeOf(bytes: number): string {
  const dir = join(mkdtempSync(join(root, 'store-')), 'store');
  createFilledStore(dir, Math.ceil(bytes / 300), { perAppend: 500, dataBytes: 200 });
  return dir;
}

describe('backup to a full disk (tmpfs of 4 MiB)', () => {
  it('refuses up front when the folder has too little free space: DISK_FULL, nothing written', async (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    emptyDisk();
    const store = storeOf(6 * 1024 * 1024);
    const error = await expectConsoleError(() => createBackup({ storeDir: store, destination: disk, kind: 'full', encryption: { kind: 'none' } }), 'DISK_FULL');
    expect(error.message).toMatch(/free; a full backup .* needs about/);
    expect(readdirSync(disk)).toEqual([]);
    expectConsistentStore(store);
  });

  it.for<[BackupPhase, number]>([
    ['snapshot', 64 * 1024],
    ['archiving', 48 * 1024],
    ['syncing', 0],
  ])('ENOSPC from the %s step on: DISK_FULL, no file under a final name, temporary files removed, store intact', async ([phase, leave], ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    emptyDisk();
    const store = storeOf(900 * 1024);
    let filled = false;
    const error = await expectConsoleError(
      () =>
        createBackup(
          { storeDir: store, destination: disk, kind: 'full', encryption: { kind: 'none' }, compressionLevel: 1 },
          {
            onProgress: (p) => {
              if (p.phase === phase && !filled) {
                filled = true;
                fillDisk(leave);
              }
            },
          },
        ),
      'DISK_FULL',
    );
    expect(filled).toBe(true);
    expect(error.message).toContain('is full');
    expect(readdirSync(disk)).toEqual(['filler.bin']);
    expectConsistentStore(store);
    // With the space back, the same backup succeeds and verifies.
    emptyDisk();
    const result = await createBackup({ storeDir: store, destination: disk, kind: 'full', encryption: { kind: 'none' } });
    if (!result.created) throw new Error('expected an archive');
    expect((await verifyArchive({ archive: result.archive, record: false })).ok).toBe(true);
  });

  it('ENOSPC while an incremental writes its events: DISK_FULL, the chain untouched', async (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    emptyDisk();
    const store = storeOf(300 * 1024);
    const full = await createBackup({ storeDir: store, destination: disk, kind: 'full', encryption: { kind: 'none' } });
    if (!full.created) throw new Error('expected an archive');
    const s = EventStore.open(store);
    fillStore(s, 2500, { perAppend: 500, dataBytes: 200 });
    s.close();
    const before = readdirSync(disk).filter((n) => !n.startsWith('.'));
    let filled = false;
    await expectConsoleError(
      () =>
        createBackup(
          { storeDir: store, destination: disk, kind: 'incremental', encryption: { kind: 'none' } },
          {
            onProgress: (p) => {
              if (p.phase === 'events' && !filled) {
                filled = true;
                fillDisk(8 * 1024);
              }
            },
          },
        ),
      'DISK_FULL',
    );
    expect(readdirSync(disk).sort()).toEqual([...before, 'filler.bin'].sort());
    expectConsistentStore(store);
  });
});
