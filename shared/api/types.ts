import type { ErrorCode } from '../errors.js';
import type { EventRecord } from '../events.js';
import type { RpoIndicator } from './backupTypes.js';
import type { Principal } from '../security.js';
import type { LossRecord, OpenProblem, StoreStats } from '../store.js';

/** The last integrity check of the open store, as Overview and the status bar show it. */
export interface IntegrityStatus {
  readonly checkedAt: string;
  readonly ok: boolean;
  readonly checkedEvents: number;
  readonly headPosition: number;
  readonly firstBadPosition: number | null;
  readonly problems: number;
}

export interface StoreOverview {
  readonly stats: StoreStats;
  /** Losses of events not acknowledged yet: Overview and the status bar show them first; writes are refused. */
  readonly problems: readonly OpenProblem[];
  /** Every loss recorded in the store, acknowledged or not. */
  readonly losses: readonly LossRecord[];
  readonly integrity: IntegrityStatus | null;
  /** How far the console's own read models (views.db) have caught up with the log. */
  readonly views: { readonly position: number; readonly lag: number };
  /** Age of the newest verified backup against the RPO target. */
  readonly backup: RpoIndicator;
}

export interface EventRateSeries {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
  /** One bucket per `bucketMs`, oldest first, with zeros where nothing was appended. */
  readonly buckets: ReadonlyArray<{ readonly at: number; readonly events: number }>;
}

export interface EventTypeCount {
  readonly type: string;
  readonly events: number;
  readonly lastPosition: number;
}

export interface EventLink {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly recordedAt: string;
}

export interface EventDetail {
  readonly event: EventRecord;
  /** The event named by this event's metadata.causationId, when it is in the store. */
  readonly causedBy: EventLink | null;
  /** Events whose metadata.causationId is this event's id. */
  readonly caused: readonly EventLink[];
  /** Other events with the same metadata.correlationId (the first 50, in order). */
  readonly correlated: readonly EventLink[];
  readonly correlatedTotal: number;
}

export interface EventPage {
  readonly events: readonly EventRecord[];
  readonly headPosition: number;
  /** Number of rows in the whole list (the log's head, or the stream's event count). */
  readonly total: number;
}

export interface LiveBatch {
  readonly events: readonly EventRecord[];
  readonly headPosition: number;
  /**
   * Set on the first batch after the open store was replaced (an in-place restore, or a switch): events
   * received before with positions after `headPosition` are no longer in the log, and positions after it
   * are given to new events again. The events of this batch and the following ones continue the new log.
   */
  readonly storeReplaced?: true;
}

export interface HeadNotice {
  readonly headPosition: number;
  readonly headHash: string;
  /**
   * Set on the first notice after the open store was replaced (an in-place restore, or a switch): the
   * head may have moved back, and everything read from the store before may be stale: refetch it all.
   */
  readonly storeReplaced?: true;
}

/**
 * Why the console's store cannot be opened. The console runs without it: calls that need the store answer
 * STORE_UNAVAILABLE, recovery (with archives named, or the backup folders still readable in the store)
 * restores it in place, and the restored store is opened.
 */
export interface StoreProblem {
  /**
   * What opening the store failed with: INTEGRITY_VIOLATION (events.db or views.db damaged or not a
   * database), NOT_FOUND (events.db missing from the store's folder), UNSUPPORTED_FORMAT (a newer build's).
   */
  readonly code: ErrorCode;
  readonly message: string;
}

export interface SessionCapabilities {
  /** Main can show a folder dialog (desktop): paths may be left out and chosen there. */
  readonly folderDialog: boolean;
  /** Other stores can be opened or created (desktop); serve mode serves one store. */
  readonly switchStores: boolean;
  /** Archives can be downloaded through one-time links (serve mode: the browser is elsewhere). */
  readonly downloadLinks: boolean;
}

export interface SessionInfo {
  readonly principal: Principal;
  /** The store's folder, also while it cannot be opened. */
  readonly storePath: string;
  /** Its folder's name: what the admin types to confirm a restore. */
  readonly storeName: string;
  readonly toolVersion: string;
  /** Electron can open other stores through dialogs; serve mode serves one store. */
  readonly canSwitchStores: boolean;
  /** What this console can do where it runs: the renderer shows or hides controls by these, never by transport. */
  readonly capabilities: SessionCapabilities;
  /** Null while the store is open; set while it cannot be opened (show the way to Recovery). */
  readonly storeProblem: StoreProblem | null;
}

export interface RecentStore {
  readonly path: string;
  readonly name: string;
  readonly lastOpenedAt: string;
  readonly exists: boolean;
}
