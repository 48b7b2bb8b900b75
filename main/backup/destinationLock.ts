import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { open, readdir, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import { ConsoleError } from '../../shared/errors.js';
import { processAlive } from '../util/processAlive.js';

/** The lock file of a backup folder, and the prefix of every temporary name a backup makes there. */
export const LOCK_FILE = '.pconsole-backup.lock';
export const TEMP_PREFIX = '.pconsole-';
const REFRESH_MS = 30_000;
/** A lock not refreshed for this long belongs to a process that stopped without releasing it. */
const STALE_MS = 10 * 60_000;

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly purpose: string;
  readonly startedAt: string;
  readonly token: string;
}

async function readLock(path: string): Promise<{ content: LockContent | undefined; mtimeMs: number } | undefined> {
  try {
    const [text, s] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let content: LockContent | undefined;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      content = undefined; // torn by a crash while it was written: judged by its age alone
    }
    return { content, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

function isStale(lock: { content: LockContent | undefined; mtimeMs: number }, now: number): boolean {
  if (now - lock.mtimeMs > STALE_MS) return true;
  const c = lock.content;
  return c !== undefined && c.host === hostname() && !processAlive(c.pid);
}

/**
 * One backup or prune at a time per folder, across processes (the console's scheduler, a cron job
 * running the CLI): two incrementals continuing the same chain at once would fork it. Taking the lock
 * also removes temporary files that a killed run left behind, since no run of ours can be using them.
 */
export class DestinationLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly token: string,
  ) {
    this.timer = setInterval(() => void utimes(join(dir, LOCK_FILE), new Date(), new Date()).catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  static async acquire(dir: string, purpose: string): Promise<DestinationLock> {
    const path = join(dir, LOCK_FILE);
    const content: LockContent = { pid: process.pid, host: hostname(), purpose, startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(JSON.stringify(content) + '\n');
        } finally {
          await handle.close();
        }
        await removeLeftovers(dir);
        return new DestinationLock(dir, content.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const existing = await readLock(path);
        if (existing !== undefined && !isStale(existing, Date.now())) {
          const c = existing.content;
          throw new ConsoleError(
            'BUSY',
            `another backup is running in ${dir}${c === undefined ? '' : ` (${c.purpose}, process ${c.pid} on ${c.host}, since ${c.startedAt})`}: try again when it has finished`,
            { lock: path },
          );
        }
        await unlink(path).catch(() => undefined);
      }
    }
    throw new ConsoleError('BUSY', `could not take the lock ${path}: another process keeps taking it`, { lock: path });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    const path = join(this.dir, LOCK_FILE);
    const current = await readLock(path);
    if (current?.content?.token === this.token) await unlink(path).catch(() => undefined);
  }
}

async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX) && name !== LOCK_FILE) await rm(join(dir, name), { recursive: true, force: true });
  }
}
