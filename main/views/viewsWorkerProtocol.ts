import type { ErrorInfo } from '../../shared/errors.js';

/** What the views worker starts with. */
export interface ViewsWorkerData {
  readonly dir: string;
  readonly stepSize: number;
  /** The thread's nice value (0 normal, up to 19 lowest); ignored where it cannot be set. */
  readonly niceness: number;
  readonly nativeBinding: string | undefined;
  /** How far the views were behind the log when the store opened. */
  readonly behindAtOpen: number;
  /** Further behind than this at open, the worker waits `graceMs` before it starts. */
  readonly graceAfter: number;
  readonly graceMs: number;
}

/** Main thread → worker: the head moved (catch up), or stop and close. */
export type ViewsWorkerRequest = { readonly type: 'wake' } | { readonly type: 'stop' };

/** Worker → main thread: where the views stand after a step, or why the worker gave up. */
export type ViewsWorkerMessage =
  | { readonly type: 'checkpoint'; readonly position: number; readonly hash: string; readonly rebuiltBecause: string | null }
  | { readonly type: 'failed'; readonly error: ErrorInfo };
