import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../platform/index.js';

/**
 * Files a process leaves in a store's folder when it is killed (issue 9, class 9): the spool of an
 * `import -` (`import-<pid>-<ms>.ndjson.tmp`, as large as its input) and the temporary file of a durable
 * write (`head.json.<pid>.<random>.tmp`). Each name carries the pid of the process that made it; a
 * store's folder is used from one machine (SQLite's WAL needs shared memory), so a pid that is not alive
 * here made a file nobody will finish or remove.
 */
const LEFTOVER_NAMES: readonly RegExp[] = [/^import-(\d+)-\d+\.ndjson\.tmp$/, /^[\w.-]+\.(\d+)\.[0-9a-f]{8}\.tmp$/];

/** The pid in a leftover's name, or undefined for any other file. */
export function leftoverPid(name: string): number | undefined {
  for (const pattern of LEFTOVER_NAMES) {
    const match = pattern.exec(name);
    if (match !== null) return Number(match[1]);
  }
  return undefined;
}

/** Removes the leftovers of processes that are gone; returns their names. Never throws (a read-only folder keeps them). */
export function removeLeftovers(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = leftoverPid(name);
    if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // Not ours to remove here (a read-only folder), or removed meanwhile by another opening.
    }
  }
  return removed;
}
