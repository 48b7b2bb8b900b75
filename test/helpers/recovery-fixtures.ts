import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, type CreatedBackup } from '../../main/backup/createBackup.js';
import type { EncryptionSpec } from '../../main/backup/encryption.js';
import { EventStore } from '../../main/store/eventStore.js';
import { fillStore } from './fixtures.js';
import { rawEvents, type RawEventRow } from './rawDb.js';

/** A clock that moves only when told: events and archives get times the test knows. */
export class StepClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

export interface BackedUpStore {
  readonly store: string;
  readonly backups: string;
  readonly clock: StepClock;
  /** Every archive made, in order (the full first). */
  readonly archives: CreatedBackup[];
  /** The store's events as they were when the last archive was made. */
  readonly rows: RawEventRow[];
}

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/**
 * A store whose events are appended with a clock of one second per append, backed up by the real backup
 * engine: one full archive after `full` events, then one incremental after each batch in `increments`.
 * Archives are made one minute after the last event they hold.
 */
export async function backedUpStore(
  dirs: { store: string; backups: string },
  options: { full: number; increments: readonly number[]; encryption?: EncryptionSpec; streams?: number; perAppend?: number },
): Promise<BackedUpStore> {
  const clock = new StepClock(T0);
  const tick = () => clock.advance(1000);
  const store = EventStore.create(dirs.store, { clock: tick });
  const archives: CreatedBackup[] = [];
  const encryption = options.encryption ?? { kind: 'none' };
  const fill = (count: number) => fillStore(store, count, { streams: options.streams ?? 7, perAppend: options.perAppend ?? 1, dataBytes: 30 });
  try {
    fill(options.full);
    clock.advance(60_000);
    archives.push(await created(dirs, 'full', encryption, clock));
    for (const n of options.increments) {
      fill(n);
      clock.advance(60_000);
      archives.push(await created(dirs, 'incremental', encryption, clock));
    }
  } finally {
    store.close();
  }
  await headRecordWritten();
  return { store: dirs.store, backups: dirs.backups, clock, archives, rows: rawEvents(dirs.store) };
}

async function created(dirs: { store: string; backups: string }, kind: 'full' | 'incremental', encryption: EncryptionSpec, clock: StepClock): Promise<CreatedBackup> {
  const result = await createBackup({ storeDir: dirs.store, destination: dirs.backups, kind, encryption }, { clock: () => clock.now });
  if (!result.created) throw new Error(result.message);
  return result;
}

/** Every file under a folder (relative paths) with its size and content digest, to show nothing changed. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = join(dir, rel, name);
      const s = statSync(path);
      if (s.isDirectory()) walk(join(rel, name));
      else out[join(rel, name)] = `${s.size}:${s.mtimeMs}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk('');
  return out;
}

/**
 * Lets a head.json write the engine started before a store was closed finish (it runs asynchronously and
 * close() does not wait for it), so a snapshot of the store's folder taken next is stable.
 */
export function headRecordWritten(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 250));
}
