import { hash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../../shared/events.js';
import type { WritableDB } from '../platform/index.js';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'ok' | 'started' | 'failed' | 'denied';
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends Required<AuditEntry> {
  readonly seq: number;
  readonly at: string;
  readonly hash: string;
}

/**
 * Who did what, when, and how it ended (DESIGN §8). Entries are hash-chained like the log itself, so a
 * removed or edited entry shows. Writes are small autocommit transactions on the store's writer.
 */
export class AuditLog {
  private readonly insert: Statement;
  private readonly last: Statement<[], { seq: number; hash: string }>;

  constructor(
    private readonly db: WritableDB,
    private readonly clock: () => number = Date.now,
  ) {
    this.insert = db.prepare('INSERT INTO audit (seq, at, actor, action, target, outcome, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  }

  record(entry: AuditEntry): void {
    const at = this.clock();
    const details = JSON.stringify(entry.details ?? {});
    this.db.transaction(() => {
      const previous = this.last.get() ?? { seq: 0, hash: GENESIS_HASH };
      const seq = previous.seq + 1;
      const entryHash = hash('sha256', `${previous.hash}\n${seq}\n${at}\n${entry.actor}\n${entry.action}\n${entry.target}\n${entry.outcome}\n${details}`, 'hex');
      this.insert.run(seq, at, entry.actor, entry.action, entry.target, entry.outcome, details, entryHash);
    }).immediate();
  }

  recent(limit: number): AuditRecord[] {
    const rows = this.db.prepare('SELECT seq, at, actor, action, target, outcome, details, hash FROM audit ORDER BY seq DESC LIMIT ?').all(limit) as Array<{
      seq: number;
      at: number;
      actor: string;
      action: string;
      target: string;
      outcome: AuditEntry['outcome'];
      details: string;
      hash: string;
    }>;
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), details: JSON.parse(r.details) as Record<string, unknown> }));
  }
}
