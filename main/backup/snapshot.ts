import Database from 'better-sqlite3';
import { ConsoleError } from '../../shared/errors.js';
import { openReadable } from '../platform/index.js';
import { eventsMigrations } from '../store/index.js';
import { checkSupportedVersion } from '../store/index.js';
import { EventReader, type LogHead } from '../store/index.js';

/**
 * How the consistent copy of a live database is taken (DESIGN §5: SQLite's backup API or VACUUM INTO,
 * never a file copy, which misses what is still in the WAL). Both read the source inside one read
 * transaction, which in WAL mode never blocks the writer and sees exactly one committed state.
 *
 * - `vacuum-into` (default): `VACUUM INTO` on a read-only connection with `synchronous = OFF`. The copy is
 *   a temporary staging file, so it is not fsynced: measured here, the backup API's final fsync of the
 *   whole copy stalls the store's own commit fsyncs for hundreds of ms (test/bench/backup-appends.ts),
 *   and VACUUM INTO is also faster and writes a compact file without free pages.
 * - `backup-api`: `db.backup()` in a single step (a step-by-step backup restarts whenever the writer
 *   commits, so under steady appends it might never finish), fsynced by SQLite.
 */
export type SnapshotMethod = 'vacuum-into' | 'backup-api';

/** All remaining pages in one step. */
const ALL_PAGES = 0x7fffffff;

export async function snapshotDatabase(sourcePath: string, targetPath: string, method: SnapshotMethod = 'vacuum-into'): Promise<void> {
  const source = openReadable(sourcePath);
  try {
    if (method === 'backup-api') {
      await source.backup(targetPath, { progress: () => ALL_PAGES });
    } else {
      source.pragma('synchronous = OFF'); // VACUUM INTO writes its output with the source connection's setting
      source.prepare('VACUUM INTO ?').run(targetPath);
    }
  } finally {
    source.close();
  }
  // One self-contained file in rollback-journal mode: `sqlite3` opens it anywhere, without -wal or -shm.
  const copy = new Database(targetPath);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

export interface SnapshotFacts {
  readonly head: LogHead;
  readonly storeId: string;
}

/** The head and store id of an events.db snapshot: what its manifest must say. */
export function readSnapshotFacts(path: string, label: string): SnapshotFacts {
  const db = openReadable(path);
  try {
    checkSupportedVersion(db, eventsMigrations, label);
    const row = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string } | undefined;
    if (row === undefined) throw new ConsoleError('INTEGRITY_VIOLATION', `${label} has no store id in its meta table`);
    return { head: new EventReader(db).readHead(), storeId: row.value };
  } finally {
    db.close();
  }
}
