import type { Readable } from 'node:stream';
import type { MethodName } from '../../shared/api/contract.js';
import type { Result } from '../../shared/api/wire.js';
import type { Principal, Transport } from '../../shared/security.js';
import type { Clock } from '../platform/index.js';
import type { RecentStores } from './recentStores.js';

/** What only the desktop app can do: dialogs, a recent-stores list, reloading its windows. */
export interface DesktopServices {
  chooseFolder(purpose: 'open' | 'create' | 'export'): Promise<string | undefined>;
  readonly recent: RecentStores;
  /** After the open store changed: reload windows so every view starts from the new store. */
  storeSwitched(): void;
}

/** The one pipeline every call goes through (main/api/pipeline.ts attaches itself). */
export interface FrontDoor {
  call(principal: Principal, method: MethodName, input: unknown): Promise<Result<unknown>>;
}

/** The schedules' principal: due runs enter the pipeline like any call, and are audited as the scheduler's. */
export const SCHEDULER_PRINCIPAL: Principal = { name: 'scheduler', role: 'operator', transport: 'scheduler' };

export interface HostOptions {
  /**
   * The store to open. When it is there but cannot be opened (damaged, incomplete, from a newer build), the
   * host starts without it and reports why (`storeProblem`); a path that holds no store still throws.
   */
  readonly storePath: string;
  readonly transport: Transport;
  /** Create the store when the folder is absent or empty (the default store on first start). */
  readonly createIfMissing?: boolean;
  /**
   * The console (default) keeps the live feed, the views and the schedules running. A command (the CLI)
   * runs nothing in the background, opens only what its call uses, and fails with the store's own error
   * when it cannot be opened, unless `startWithoutStore` says to run on without it (as the console does).
   */
  readonly mode?: 'console' | 'command';
  /** command mode: the store is not opened at all (a command that creates it, or needs none). */
  readonly openStore?: boolean;
  /** command mode: open without a writer (the read-only commands). */
  readonly readonly?: boolean;
  readonly startWithoutStore?: boolean;
  /** The caller's standard input, where a call may read `-` (the CLI's import). */
  readonly stdin?: Readable;
  readonly clock?: () => number;
  /** The schedules' clock (tests move it by hand). */
  readonly schedulerClock?: Clock;
  readonly nativeBinding?: string;
  readonly desktop?: DesktopServices;
  /** How often other processes' appends are looked for. */
  readonly pollMs?: number;
}
