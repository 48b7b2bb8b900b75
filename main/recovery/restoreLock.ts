import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConsoleError } from '../../shared/errors.js';
import { processAlive } from '../util/processAlive.js';

/**
 * One restore at a time per target folder, across processes: a small file created exclusively, holding the
 * process id and host. A lock whose process is gone (kill -9, a crash), or that nobody refreshed for a long
 * time, is stale and is taken over. Synchronous so the swap recovery can use it from EventStore.open.
 */
interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly purpose: string;
  readonly startedAt: string;
  readonly token: string;
}

const REFRESH_MS = 30_000;
const STALE_MS = 10 * 60_000;

export type LockState = { readonly held: false } | { readonly held: true; readonly mine: boolean; readonly stale: boolean; readonly description: string };

/** Who holds the lock at `path`, if anyone. */
export function lockState(path: string): LockState {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return { held: false };
  }
  let content: LockContent | undefined;
  try {
    content = JSON.parse(text) as LockContent;
  } catch {
    content = undefined; // torn by a crash while it was written: judged by its age alone
  }
  const sameHost = content !== undefined && content.host === hostname();
  const mine = sameHost && content!.pid === process.pid;
  const stale = !mine && (Date.now() - mtimeMs > STALE_MS || (sameHost && !processAlive(content!.pid)));
  const description = content === undefined ? 'a restore' : `${content.purpose} (process ${content.pid} on ${content.host}, since ${content.startedAt})`;
  return { held: true, mine, stale, description };
}

export class RestoreLock {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {
    this.timer = setInterval(() => {
      try {
        utimesSync(path, new Date(), new Date());
      } catch {
        /* released meanwhile */
      }
    }, REFRESH_MS);
    this.timer.unref();
  }

  /** Takes the lock or fails with STORE_LOCKED naming who holds it. */
  static acquire(path: string, purpose: string): RestoreLock {
    const content: LockContent = { pid: process.pid, host: hostname(), purpose, startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, JSON.stringify(content) + '\n');
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return new RestoreLock(path, content.token);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const state = lockState(path);
        if (state.held && !state.stale)
          throw new ConsoleError('STORE_LOCKED', `another restore is running here: ${state.description}; try again when it has finished`, { lock: path });
        try {
          unlinkSync(path);
        } catch {
          /* taken over by another process meanwhile: the next attempt sees it */
        }
      }
    }
    throw new ConsoleError('STORE_LOCKED', `could not take the restore lock ${path}: another process keeps taking it`, { lock: path });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    try {
      const content = JSON.parse(readFileSync(this.path, 'utf8')) as LockContent;
      if (content.token === this.token) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
