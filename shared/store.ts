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

/** A problem found when the store was opened; the store still opens so the admin can inspect and recover. */
export interface OpenProblem {
  readonly code: 'HEAD_REGRESSION' | 'HEAD_MISMATCH';
  readonly position: number;
  readonly message: string;
}

export const DURABILITY_LABELS: Readonly<Record<Durability, string>> = {
  full: 'Full: survives power loss',
  normal: 'Normal: survives app crashes, not power loss',
};
