import { readdirSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Durable from '../../main/platform/fs/durable.js';
import { readHeadRecord } from '../../main/store/headRecord.js';
import { runRecovery } from '../../main/recovery/runRecovery.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { backedUpStore } from '../helpers/recovery-fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

/**
 * Issue 9, class 10: a restore to a new folder failed once in four runs with `ENOENT …
 * <new>.restore-work/store/head.json.<pid>.<rand>.tmp`: the restored store's asynchronous head-record
 * write was still in flight while the restore fsynced and renamed the work folder. Here that write is
 * held back on purpose: every asynchronous durable write of a head.json (the engine's timed write)
 * creates its temporary file and then waits, and is let go exactly when the restore has listed the work
 * folder to fsync it (or after 400 ms), which is the interleaving that failed. The restore must succeed
 * with the restored head in head.json and no temporary file left, whatever the engine writes when.
 */
const held = vi.hoisted(() => ({
  /** Head-record writes waiting to be renamed into place, oldest first. */
  waiting: [] as Array<() => Promise<void>>,
  /** How many asynchronous head writes were held at all (for the log). */
  count: 0,
  realSetTimeout: globalThis.setTimeout,
}));

vi.mock('../../main/platform/fs/durable.js', async (importOriginal) => {
  const original = await importOriginal<typeof Durable>();
  const fs = await import('node:fs/promises');
  const path = await import('node:path');

  const releaseAll = async () => {
    for (const go of held.waiting.splice(0)) await go();
  };

  return {
    ...original,
    async writeFileDurably(file: string, content: string | Buffer): Promise<void> {
      if (path.basename(file) !== 'head.json') return original.writeFileDurably(file, content);
      held.count++;
      const temp = `${file}.${process.pid}.held${held.count}.tmp`;
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Held: the temporary file sits in the folder until the restore fsyncs it, or 400 ms pass.
      await new Promise<void>((resolve) => {
        let done = false;
        const go = async () => {
          if (done) return;
          done = true;
          try {
            await fs.rename(temp, file);
            await original.fsyncDirectory(path.dirname(file));
          } catch (error) {
            await fs.unlink(temp).catch(() => undefined);
            resolve();
            throw error;
          }
          resolve();
        };
        held.waiting.push(go);
        held.realSetTimeout(() => void go().catch(() => undefined), 400);
      });
    },
    // fsyncFolderFiles as the platform has it, with the held writes let go between listing and opening.
    async fsyncFolderFiles(dir: string): Promise<void> {
      const names = await readdir(dir);
      await releaseAll().catch(() => undefined);
      for (const name of names) {
        const handle = await open(join(dir, name), 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await original.fsyncDirectory(dir);
    },
  };
});

const temp = useTempDirs();

afterEach(() => {
  vi.useRealTimers();
});

describe('restore to a new folder while the restored store writes its head record', () => {
  it('succeeds with the restored head in head.json and no temporary file, the head write held back until the folder is fsynced', async () => {
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 200, increments: [50, 50, 50] });
    const to = join(root, 'restored');
    // The engine's head write is timed (about a second after a commit): while the incrementals are
    // applied, time is moved on so that it starts then, in the middle of the restore.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    let advanced = 0;
    const report = await runRecovery(
      { sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: to },
      {
        onProgress: (p) => {
          if (p.phase === 'applying' && advanced++ === 0) vi.advanceTimersByTime(1500);
        },
      },
    );
    vi.useRealTimers();
    expect(advanced).toBeGreaterThan(0);
    expect(report.headPosition).toBe(350);
    expect(readHeadRecord(to)).toMatchObject({ position: 350, hash: set.rows[349]!.hash });
    expect(readdirSync(to).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(root).filter((n) => n.startsWith('.') || n.includes('restore-work'))).toEqual([]);
    expect(expectConsistentStore(to)).toHaveLength(350);
    // Nothing still held lands later.
    await new Promise((resolve) => held.realSetTimeout(resolve, 500));
    expect(readHeadRecord(to)).toMatchObject({ position: 350 });
    expect(readdirSync(to).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
