import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import { openWritable, type WritableDB } from '../../main/platform/sqlite.js';
import { eventsMigrations } from '../../main/store/migrations/events/index.js';
import { latestVersion, runMigrations, type Migration } from '../../main/store/migrations/runner.js';
import { viewsMigrations } from '../../main/store/migrations/views/index.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

function withDb<T>(fn: (db: WritableDB) => T): T {
  const db = openWritable(join(temp.dir(), 'm.db'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const userVersion = (db: WritableDB) => db.pragma('user_version', { simple: true }) as number;
const tables = (db: WritableDB) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

interface Seen {
  readonly version: number;
  readonly inTransaction: boolean;
  readonly userVersionBefore: number;
}

/** Three migrations that record how the runner called them. */
function recording(seen: Seen[], failAt?: number): Migration[] {
  return [1, 2, 3].map((version) => ({
    version,
    name: `step${version}`,
    up(db: WritableDB) {
      seen.push({ version, inTransaction: db.inTransaction, userVersionBefore: userVersion(db) });
      db.exec(`CREATE TABLE t${version} (x INTEGER)`);
      if (version === failAt) throw new Error(`migration ${version} failed`);
    },
  }));
}

describe('runMigrations', () => {
  it('applies every version in order, each inside a transaction, and records the version', () => {
    withDb((db) => {
      const seen: Seen[] = [];
      expect(runMigrations(db, recording(seen), 'test.db')).toBe(3);
      expect(seen).toEqual([
        { version: 1, inTransaction: true, userVersionBefore: 0 },
        { version: 2, inTransaction: true, userVersionBefore: 1 },
        { version: 3, inTransaction: true, userVersionBefore: 2 },
      ]);
      expect(userVersion(db)).toBe(3);
      expect(db.inTransaction).toBe(false);
      expect(tables(db)).toEqual(['t1', 't2', 't3']);
    });
  });

  it('runs only the versions a database does not have yet, and nothing when it is current', () => {
    withDb((db) => {
      const first: Seen[] = [];
      runMigrations(db, recording(first).slice(0, 1), 'test.db');
      expect(userVersion(db)).toBe(1);
      const second: Seen[] = [];
      runMigrations(db, recording(second), 'test.db');
      expect(second.map((s) => s.version)).toEqual([2, 3]);
      const third: Seen[] = [];
      runMigrations(db, recording(third), 'test.db');
      expect(third).toEqual([]);
      expect(userVersion(db)).toBe(3);
    });
  });

  it('gives each version its own transaction: a failing step rolls back only itself and stops the run', () => {
    withDb((db) => {
      const seen: Seen[] = [];
      expect(() => runMigrations(db, recording(seen, 2), 'test.db')).toThrow('migration 2 failed');
      expect(seen.map((s) => s.version)).toEqual([1, 2]);
      expect(userVersion(db)).toBe(1);
      expect(tables(db)).toEqual(['t1']); // t2 was created inside the rolled-back transaction
      expect(db.inTransaction).toBe(false);
      // The next run picks up where it stopped.
      const retry: Seen[] = [];
      runMigrations(db, recording(retry), 'test.db');
      expect(retry.map((s) => s.version)).toEqual([2, 3]);
      expect(tables(db)).toEqual(['t1', 't2', 't3']);
    });
  });

  it('refuses a database written by a newer version with UNSUPPORTED_FORMAT, changing nothing', () => {
    withDb((db) => {
      db.pragma('user_version = 4');
      const seen: Seen[] = [];
      let error: unknown;
      try {
        runMigrations(db, recording(seen), 'events.db');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConsoleError);
      const e = error as ConsoleError;
      expect(e.code).toBe('UNSUPPORTED_FORMAT');
      expect(e.message).toContain('events.db');
      expect(e.message).toContain('4');
      expect(e.details).toEqual({ formatVersion: 4, supported: 3 });
      expect(seen).toEqual([]);
      expect(userVersion(db)).toBe(4);
      expect(tables(db)).toEqual([]);
    });
  });

  it('refuses a migration list that is not numbered 1, 2, 3…', () => {
    withDb((db) => {
      const steps = recording([]);
      expect(() => runMigrations(db, [steps[0]!, steps[2]!], 'test.db')).toThrow(/numbered/);
      expect(() => runMigrations(db, [steps[1]!], 'test.db')).toThrow(/numbered/);
      expect(userVersion(db)).toBe(0);
    });
  });

  it('the shipped migration lists are numbered from 1 without gaps', () => {
    for (const list of [eventsMigrations, viewsMigrations]) {
      expect(list.map((m) => m.version)).toEqual(list.map((_, i) => i + 1));
      expect(latestVersion(list)).toBe(list.length);
    }
    expect(latestVersion([])).toBe(0);
  });
});
