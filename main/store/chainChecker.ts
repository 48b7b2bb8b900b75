import { GENESIS_HASH } from '../../shared/events.js';
import { chainHash } from './hashChain.js';
import type { StoredEvent } from './storedEvent.js';

export interface ChainProblem {
  readonly code: 'POSITION_GAP' | 'HASH_MISMATCH';
  readonly position: number;
  readonly message: string;
}

/**
 * Walks a hash chain one event at a time, from the genesis or from a known (position, hash): the log,
 * an archive's events.db and an incremental archive's events.ndjson are all checked with it.
 */
export class ChainChecker {
  private previousPosition: number;
  private previousHash: string;
  private afterGap = false;
  checked = 0;

  constructor(fromPosition = 0, fromHash = GENESIS_HASH) {
    this.previousPosition = fromPosition;
    this.previousHash = fromHash;
  }

  get position(): number {
    return this.previousPosition;
  }

  get hash(): string {
    return this.previousHash;
  }

  /** Checks the next event; returns the problems it shows (usually none). */
  next(e: StoredEvent): ChainProblem[] | undefined {
    let problems: ChainProblem[] | undefined;
    if (e.globalPosition !== this.previousPosition + 1) {
      problems = [
        {
          code: 'POSITION_GAP',
          position: this.previousPosition + 1,
          message:
            e.globalPosition <= this.previousPosition
              ? `position ${e.globalPosition} follows ${this.previousPosition}: positions must increase by one`
              : `positions ${this.previousPosition + 1}–${e.globalPosition - 1} are missing`,
        },
      ];
      this.afterGap = true; // the event after a gap chains from one we do not have: it cannot be checked
    }
    if (!this.afterGap) {
      const expected = chainHash(this.previousHash, e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data);
      if (expected !== e.hash) {
        (problems ??= []).push({
          code: 'HASH_MISMATCH',
          position: e.globalPosition,
          message: `event at position ${e.globalPosition} (stream ${e.streamId}, version ${e.streamVersion}) does not match its hash: its content or its predecessor was changed`,
        });
      }
    }
    this.afterGap = false;
    this.previousPosition = e.globalPosition;
    this.previousHash = e.hash;
    this.checked++;
    return problems;
  }
}
