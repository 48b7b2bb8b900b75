import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as RunJobModule from '../../main/workers/runJob.js';
import type { BackupProgress } from '../../shared/backup.js';
import { filesIn } from '../helpers/backup-files.js';
import { importBuilt } from '../helpers/built.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
let runJob: typeof RunJobModule.runJob;
let root: string;
let store: string;
beforeAll(async () => {
  // The shipped worker (dist/main/workers/jobWorker.js), as the console and `pconsole serve` run it.
  ({ runJob } = await importBuilt<typeof RunJobModule>('main/workers/runJob.ts'));
  root = mkdtempSync(join(tmpdir(), 'pconsole-backup-jobs-'));
  store = join(root, 'store');
  createFilledStore(store, 40_000, { streams: 20, perAppend: 2000, dataBytes: 120 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backup jobs in a worker thread (runJob)', () => {
  it('backupCreate, backupVerify and backupExport run with progress and return their results', async () => {
    const out = temp.dir();
    const progress: BackupProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const created = await runJob('backupCreate', { storeDir: store, destination: out, kind: 'full', encryption: { kind: 'none' } }, { onProgress: (p) => progress.push(p) });
    clearInterval(timer);
    if (!created.created) throw new Error('no archive');
    expect(created.manifest).toMatchObject({ kind: 'full', toPosition: 40_000 });
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['preparing', 'snapshot', 'checksums', 'archiving', 'syncing']));
    // The calling thread stayed free while the worker did the work.
    expect(ticks).toBeGreaterThan((performance.now() - started) / 10 / 4);

    const verifyProgress: BackupProgress[] = [];
    const verified = await runJob('backupVerify', { archive: created.archive }, { onProgress: (p) => verifyProgress.push(p) });
    expect(verified).toMatchObject({ ok: true, eventsChecked: 40_000 });
    expect(verifyProgress.some((p) => p.unit === 'bytes') && verifyProgress.some((p) => p.unit === 'events')).toBe(true);

    const target = temp.dir();
    const exported = await runJob('backupExport', { archives: [created.archive], to: target });
    expect(exported.files.map((f) => f.target)).toContain(join(target, created.archive.split('/').pop()!));
  });

  it('backupCreate cancelled through its AbortSignal: CANCELLED, nothing left in the folder', async () => {
    const out = temp.dir();
    const controller = new AbortController();
    const job = runJob(
      'backupCreate',
      { storeDir: store, destination: out, kind: 'full', encryption: { kind: 'none' }, compressionLevel: 9, parallelism: 1 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'archiving') controller.abort();
        },
      },
    );
    await expectConsoleError(() => job, 'CANCELLED');
    expect(filesIn(out)).toEqual([]);
  });

  it('errors cross the thread boundary with their codes', async () => {
    await expectConsoleError(() => runJob('backupCreate', { storeDir: join(root, 'absent'), destination: temp.dir(), kind: 'full', encryption: { kind: 'none' } }), 'NOT_FOUND');
    await expectConsoleError(() => runJob('backupVerify', { archive: join(temp.dir(), 'absent.tar.gz') }), 'NOT_FOUND');
  });
});
