import { writeFileSync } from 'node:fs';
import { lockFileText } from '../../main/platform/fileLock.js';

/** A process id no process has here (above Linux's pid_max of 2^22). */
export const DEAD_PID = 2 ** 22 + 12345;

/** Writes the lock at `path` as if the process `pid` held it (a live one: our own or our parent; a dead one: DEAD_PID). */
export function writeLockHeldBy(path: string, pid: number, purpose = 'a test'): void {
  writeFileSync(path, lockFileText({ pid, purpose }));
}
