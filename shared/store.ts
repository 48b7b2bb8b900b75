/** What the console and the CLI show about a store (shared by main, the API and the renderer). */
export type Durability = 'full' | 'normal';

export interface StoreStats {
  readonly storeId: string;
  readonly formatVersion: number;
  readonly path: string;
  readonly createdAt: string;
  readonly events: number;
  readonly streams: number;
  readonly headPosition: number;
  readonly headHash: string;
  readonly headRecordedAt: string | null;
  readonly sizeBytes: number;
  readonly walBytes: number;
  readonly viewsBytes: number;
  readonly durability: Durability;
}

/**
 * A loss of events found when the store was opened (or by verify): the log is shorter than a head recorded
 * elsewhere (HEAD_REGRESSION, `position` the first missing one), or its event at a recorded head is another
 * one (HEAD_MISMATCH, `position` that head). The store still opens so the admin can inspect and recover;
 * until the loss is acknowledged or the store restored, writes are refused (INTEGRITY_VIOLATION).
 */
export interface OpenProblem {
  readonly code: 'HEAD_REGRESSION' | 'HEAD_MISMATCH';
  readonly position: number;
  readonly message: string;
}

/**
 * The evidence of a detected loss, kept in events.db (integrity_losses) so that no later head write can
 * erase it: what recorded the later head (`source`: head.json, a views.db checkpoint, a backup archive),
 * what the log had then, and who acknowledged it when.
 */
export interface LossRecord {
  readonly id: number;
  readonly code: OpenProblem['code'];
  readonly position: number;
  readonly source: string;
  readonly recordedPosition: number;
  readonly recordedHash: string | null;
  /** The log's head when the loss was found. */
  readonly logPosition: number;
  readonly message: string;
  readonly detectedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
}

/**
 * Something a command did not fail for but must say (the CLI prints it as a warning line): a committed
 * append whose head record could not be written, a store whose log lost events.
 */
export interface StoreWarning {
  readonly code: 'HEAD_RECORD_NOT_WRITTEN' | 'HEAD_REGRESSION' | 'HEAD_MISMATCH' | 'NOT_RECORDED';
  readonly message: string;
}

export const DURABILITY_LABELS: Readonly<Record<Durability, string>> = {
  full: 'Full: survives power loss',
  normal: 'Normal: survives app crashes, not power loss',
};
