import type { EventRecord } from '../events.js';
import type { RpoIndicator } from './backupTypes.js';
import type { Principal } from '../security.js';
import type { OpenProblem, StoreStats } from '../store.js';

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
  readonly problems: readonly OpenProblem[];
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

export interface SessionInfo {
  readonly principal: Principal;
  readonly storePath: string;
  readonly storeName: string;
  readonly toolVersion: string;
  /** Electron can open other stores through dialogs; serve mode serves one store. */
  readonly canSwitchStores: boolean;
}

export interface RecentStore {
  readonly path: string;
  readonly name: string;
  readonly lastOpenedAt: string;
  readonly exists: boolean;
}
