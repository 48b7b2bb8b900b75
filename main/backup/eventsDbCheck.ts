import type { ArchiveProblem, BackupManifest } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { openReadable, translateSqliteError } from '../platform/index.js';
import { eventsMigrations } from '../store/index.js';
import { checkSupportedVersion } from '../store/index.js';
import { verifyLog } from '../store/index.js';

const CHAIN_CODES = new Set(['POSITION_GAP', 'HASH_MISMATCH']);

/**
 * The test open of an archive's events.db (extracted to a scratch folder): it must open, pass
 * integrity_check, walk its hash chain from the genesis (verifyLog, the same check as `pconsole verify`),
 * belong to the manifest's store and end exactly at the manifest's toPosition and toHash.
 */
export function checkEventsDb(path: string, manifest: BackupManifest, onEvents: (done: number, total: number) => void, isCancelled: () => boolean): { problems: ArchiveProblem[]; checked: number } {
  const problems: ArchiveProblem[] = [];
  const add = (code: ArchiveProblem['code'], check: ArchiveProblem['check'], message: string) => problems.push({ code, member: 'events.db', check, message });
  let db;
  try {
    db = openReadable(path);
    checkSupportedVersion(db, eventsMigrations, 'events.db in the archive');
  } catch (error) {
    db?.close();
    const e = translateSqliteError(error, 'events.db in the archive does not open');
    if (e instanceof ConsoleError) {
      add(e.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', 'sqlite', e.message);
      return { problems, checked: 0 };
    }
    throw e;
  }
  try {
    const storeId = (db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string } | undefined)?.value;
    if (storeId !== manifest.storeId) add('INTEGRITY_VIOLATION', 'manifest', `events.db belongs to store ${storeId ?? '(none)'}, the manifest says ${manifest.storeId}`);
    const report = verifyLog(db, {
      onProgress: (p) => {
        if (p.phase === 'chain') onEvents(p.done, p.total);
      },
      isCancelled,
    });
    for (const p of report.problems.slice(0, 100)) {
      add('INTEGRITY_VIOLATION', CHAIN_CODES.has(p.code) ? 'chain' : 'sqlite', `${p.code}${p.position === null ? '' : ` at position ${p.position}`}: ${p.message}`);
    }
    if (report.headPosition !== manifest.toPosition || report.headHash !== manifest.toHash) {
      add(
        'INTEGRITY_VIOLATION',
        'manifest',
        `events.db ends at position ${report.headPosition} (${report.headHash.slice(0, 12)}…), the manifest says ${manifest.toPosition} (${manifest.toHash.slice(0, 12)}…)`,
      );
    }
    return { problems, checked: report.checkedEvents };
  } catch (error) {
    if (error instanceof ConsoleError && error.code === 'CANCELLED') throw error;
    const e = translateSqliteError(error, 'events.db in the archive cannot be read');
    if (e instanceof ConsoleError) {
      add('ARCHIVE_CORRUPT', 'sqlite', e.message);
      return { problems, checked: 0 };
    }
    throw e;
  } finally {
    db.close();
  }
}
