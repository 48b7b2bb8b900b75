import { toErrorInfo } from '../../shared/errors.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog, type AuditEntry } from '../security/index.js';
import { EVENTS_DB, EventStore } from '../store/index.js';

/** At most this many entries wait for a store (a restore, a store that cannot be opened). */
const MAX_PENDING = 1000;

/**
 * Audit entries of calls made while no store is open (during a restore, while the store cannot be opened,
 * or a command that creates its store): they belong in the log of the store that opens next.
 */
export class PendingAudit {
  private readonly entries: AuditEntry[] = [];

  hold(entry: AuditEntry): void {
    if (this.entries.length < MAX_PENDING) this.entries.push(entry);
  }

  take(): AuditEntry[] {
    return this.entries.splice(0);
  }

  drop(): void {
    this.entries.length = 0;
  }
}

/**
 * Writes a command's held entries into the store now at `dir` (the one it created: `init`, `restore --to`);
 * a command that left no store there changed no store, and its entries have no log to go to.
 */
export function flushPendingAudit(dir: string, entries: readonly AuditEntry[], clock: () => number): string | undefined {
  if (!existsSync(join(dir, EVENTS_DB))) return undefined;
  let store: EventStore | undefined;
  try {
    store = EventStore.open(dir, { clock });
    const log = new AuditLog(store.writerDb(), clock);
    for (const entry of entries) log.record(entry);
  } catch (error) {
    return `the audit log of ${dir} could not be written: ${toErrorInfo(error).message}`;
  } finally {
    store?.close();
  }
  return undefined;
}
