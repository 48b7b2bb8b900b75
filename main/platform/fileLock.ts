import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { ConsoleError, type ErrorCode } from '../../shared/errors.js';

/**
 * One holder at a time, across processes: a small file created exclusively (O_EXCL), holding who took it.
 * The holder refreshes its mtime; a lock whose process is gone (kill -9, a crash) or that nobody refreshed
 * for STALE_MS is stale and is taken over. The core is synchronous, so it also works where nothing may be
 * awaited (the store's open); `acquire` is the face for async callers. Every lock file has this format:
 * `{"pid","host","purpose","startedAt","token"}`.
 */
const lockContentSchema = z.object({ pid: z.number().int(), host: z.string(), purpose: z.string(), startedAt: z.string(), token: z.string() });
export type LockContent = z.infer<typeof lockContentSchema>;

export const LOCK_REFRESH_MS = 30_000;
/** A lock not refreshed for this long belongs to a process that stopped without releasing it. */
export const LOCK_STALE_MS = 10 * 60_000;

/** Whether a process with this id exists on this machine (EPERM: it exists, but is someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockState =
  | { readonly held: false }
  | { readonly held: true; readonly mine: boolean; readonly stale: boolean; readonly content: LockContent | undefined; readonly description: string };

/** Who holds the lock at `path`, if anyone. */
export function lockState(path: string, now = Date.now()): LockState {
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
    const parsed = lockContentSchema.safeParse(JSON.parse(text));
    content = parsed.success ? parsed.data : undefined;
  } catch {
    content = undefined; // torn by a crash while it was written: judged by its age alone
  }
  const sameHost = content !== undefined && content.host === hostname();
  const mine = sameHost && content!.pid === process.pid;
  const stale = !mine && (now - mtimeMs > LOCK_STALE_MS || (sameHost && !processAlive(content!.pid)));
  const description = content === undefined ? 'another process' : `${content.purpose} (process ${content.pid} on ${content.host}, since ${content.startedAt})`;
  return { held: true, mine, stale, content, description };
}

/** A lock file's text for a holder: the one place its format is written (tests use it to stand in for another process). */
export function lockFileText(holder: { readonly pid: number; readonly purpose: string; readonly host?: string; readonly token?: string }): string {
  const content: LockContent = {
    pid: holder.pid,
    host: holder.host ?? hostname(),
    purpose: holder.purpose,
    startedAt: new Date().toISOString(),
    token: holder.token ?? randomBytes(8).toString('hex'),
  };
  return JSON.stringify(content) + '\n';
}

/** What a refused acquisition says: the code, and the message naming the holder. */
export interface LockRefusal {
  readonly code: ErrorCode;
  readonly message: (holder: string) => string;
}

export class FileLock {
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
    }, LOCK_REFRESH_MS);
    this.timer.unref();
  }

  /** Takes the lock, or throws `refusal` naming who holds it. A stale lock is taken over. */
  static acquireSync(path: string, purpose: string, refusal: LockRefusal): FileLock {
    const token = randomBytes(8).toString('hex');
    const text = lockFileText({ pid: process.pid, purpose, token });
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(path, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const state = lockState(path);
        if (state.held && !state.stale) throw new ConsoleError(refusal.code, refusal.message(state.description), { lock: path });
        try {
          unlinkSync(path);
        } catch {
          /* taken over by another process meanwhile: the next attempt sees it */
        }
        continue;
      }
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } catch (error) {
        closeSync(fd);
        unlinkSync(path); // a lock we could not write (a full disk) is not left behind
        throw error;
      }
      closeSync(fd);
      return new FileLock(path, token);
    }
    throw new ConsoleError(refusal.code, `could not take the lock ${path}: another process keeps taking it`, { lock: path });
  }

  /** The async face: the file operations are a few microseconds, so the sync core runs as is. */
  static async acquire(path: string, purpose: string, refusal: LockRefusal): Promise<FileLock> {
    return FileLock.acquireSync(path, purpose, refusal);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    const state = lockState(this.path);
    if (state.held && state.content?.token === this.token) {
      try {
        unlinkSync(this.path);
      } catch {
        /* already gone */
      }
    }
  }
}
