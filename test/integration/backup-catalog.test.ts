import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCatalog } from '../../main/backup/catalog.js';
import { buildChains } from '../../main/backup/chains.js';
import { createBackup, type CreatedBackup } from '../../main/backup/createBackup.js';
import { exportArchives } from '../../main/backup/exportArchives.js';
import { pruneBackups } from '../../main/backup/prune.js';
import { verifyArchive } from '../../main/backup/verifyArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import type { BackupProgress } from '../../shared/backup.js';
import { finalNames } from '../helpers/backup-files.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** A store, a full backup and `incrementals` incrementals of 10 events each, one simulated hour apart. */
async function chainOf(incrementals: number): Promise<{ dir: string; out: string; archives: CreatedBackup[] }> {
  const dir = temp.path();
  createFilledStore(dir, 100, { perAppend: 50 });
  const out = temp.dir();
  let at = Date.parse('2026-02-01T00:00:00Z');
  const clock = () => at;
  const archives: CreatedBackup[] = [];
  const take = async (kind: 'full' | 'incremental') => {
    const r = await createBackup({ storeDir: dir, destination: out, kind, encryption: { kind: 'none' } }, { clock });
    if (!r.created) throw new Error(r.message);
    archives.push(r);
    at += 3_600_000;
  };
  await take('full');
  for (let i = 0; i < incrementals; i++) {
    const store = EventStore.open(dir);
    fillStore(store, 10, { perAppend: 10 });
    store.close();
    await take('incremental');
  }
  return { dir, out, archives };
}

describe('listCatalog and chains on real archives', () => {
  it('lists archives from their sidecars and builds the chain; a lost middle incremental is a named gap', async () => {
    const { out, archives } = await chainOf(3);
    const catalog = await listCatalog(out);
    expect(catalog.problems).toEqual([]);
    expect(catalog.entries.map((e) => e.archive)).toEqual(archives.map((a) => a.archive));
    expect(buildChains(catalog.entries)).toEqual([expect.objectContaining({ complete: true, restorableTo: 130, gaps: [] })]);

    rmSync(archives[2]!.archive);
    rmSync(archives[2]!.sidecar);
    const broken = buildChains((await listCatalog(out)).entries);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ complete: false, restorableTo: 110, toPosition: 130 });
    expect(broken[0]!.gaps[0]!.message).toContain('events 111–120 are missing');
  });

  it('reports an archive without its sidecar, a sidecar without its archive, and a damaged sidecar', async () => {
    const { out, archives } = await chainOf(2);
    rmSync(archives[0]!.sidecar);
    rmSync(archives[1]!.archive);
    writeFileSync(archives[2]!.sidecar, '{"not":"a manifest"}');
    writeFileSync(join(out, 'notes.txt'), 'ignored');
    const catalog = await listCatalog(out);
    expect(catalog.entries.map((e) => [basename(e.archive), e.archiveBytes])).toEqual([[basename(archives[1]!.archive), null]]);
    expect(catalog.problems.map((p) => [basename(p.path), p.code])).toEqual(
      expect.arrayContaining([
        [basename(archives[0]!.archive), 'ARCHIVE_CORRUPT'],
        [basename(archives[1]!.archive), 'ARCHIVE_CORRUPT'],
        [basename(archives[2]!.sidecar), 'ARCHIVE_CORRUPT'],
      ]),
    );
    await expectConsoleError(() => listCatalog(join(out, 'absent')), 'NOT_FOUND');
  });
});

describe('exportArchives', () => {
  it('copies a whole chain with progress; the copies verify in their new folder', async () => {
    const { archives } = await chainOf(2);
    await verifyArchive({ archive: archives[0]!.archive });
    const target = join(temp.dir(), 'usb-stick');
    const progress: BackupProgress[] = [];
    const result = await exportArchives({ archives: archives.map((a) => a.sidecar), to: target }, { onProgress: (p) => progress.push(p) });
    expect(result.files.map((f) => basename(f.target))).toEqual([
      basename(archives[0]!.archive),
      basename(archives[0]!.sidecar),
      basename(archives[0]!.archive) + '.verification.json',
      basename(archives[1]!.archive),
      basename(archives[1]!.sidecar),
      basename(archives[2]!.archive),
      basename(archives[2]!.sidecar),
    ]);
    expect(progress.at(-1)).toMatchObject({ phase: 'exporting', done: result.bytes, total: result.bytes });
    expect(readdirSync(target).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const a of archives) expect((await verifyArchive({ archive: join(target, basename(a.archive)) })).ok).toBe(true);
    await expectConsoleError(() => exportArchives({ archives: [archives[0]!.archive], to: target }), 'INVALID_INPUT');
    await exportArchives({ archives: [archives[0]!.archive], to: target, overwrite: true });
  });

  it('a cancelled export leaves nothing in the target folder', async () => {
    const { archives } = await chainOf(1);
    const target = temp.dir();
    await expectConsoleError(() => exportArchives({ archives: archives.map((a) => a.archive), to: target }, { isCancelled: () => true }), 'CANCELLED');
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('pruneBackups', () => {
  it('keeps the newest archives and every link they need; removes the rest with their sidecars', async () => {
    const { dir, out, archives } = await chainOf(2);
    // A second chain starts with a new full archive; the first chain is then older than keep-last.
    const second = await createBackup({ storeDir: dir, destination: out, kind: 'full', encryption: { kind: 'none' } }, { clock: () => Date.parse('2026-02-02T00:00:00Z') });
    if (!second.created) throw new Error('no archive');
    const dry = await pruneBackups({ dir: out, policy: { keepLast: 1 }, dryRun: true });
    expect(dry.removed).toEqual([]);
    expect([...dry.plans[0]!.plan.prune].sort()).toEqual(archives.map((a) => a.archive).sort());
    expect(finalNames(out)).toHaveLength(8);
    const result = await pruneBackups({ dir: out, policy: { keepLast: 1 } });
    expect([...result.removed].sort()).toEqual(archives.map((a) => a.archive).sort());
    expect(finalNames(out)).toEqual([basename(second.archive), basename(second.sidecar)]);

    // Keeping the newest incremental keeps its whole chain.
    const other = await chainOf(3);
    const kept = await pruneBackups({ dir: other.out, policy: { keepLast: 1 } });
    expect(kept.removed).toEqual([]);
  });
});
