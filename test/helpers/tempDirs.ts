import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { EventStore, type StoreOptions } from '../../main/store/eventStore.js';

export interface TempDirs {
  /** A new empty folder under os.tmpdir(), removed after the test. */
  dir(prefix?: string): string;
  /** A path under a new temporary folder that does not exist yet (for `init` / `EventStore.create`). */
  path(name?: string): string;
  /** A new store in a temporary folder; closed and removed after the test. */
  store(options?: StoreOptions): EventStore;
  /** Registers a store opened by the test so it is closed after the test, and returns it. */
  track(store: EventStore): EventStore;
}

/**
 * Temporary folders and stores for one test file: call at the top of a `describe` (or the file). Every
 * folder made during a test is removed after that test, every store tracked is closed first.
 */
export function useTempDirs(): TempDirs {
  const dirs: string[] = [];
  const stores: EventStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = (prefix = 'pconsole-test-') => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const track = (store: EventStore) => {
    stores.push(store);
    return store;
  };
  return {
    dir,
    path: (name = 'store') => join(dir(), name),
    store: (options) => track(EventStore.create(join(dir(), 'store'), options)),
    track,
  };
}
