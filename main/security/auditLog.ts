import { hash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../../shared/events.js';
import type { Transport } from '../../shared/security.js';
import type { WritableDB } from '../platform/index.js';

export interface AuditEntry {
  readonly actor: string;
  /** The way the call came in (DESIGN §13): the CLI, the desktop app, serve mode, the schedules. */
  readonly transport: Transport;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'ok' | 'started' | 'failed' | 'denied';
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends Omit<Required<AuditEntry>, 'transport'> {
  readonly seq: number;
  readonly at: string;
  /** Null for records written before audit records named their transport (format 5). */
  readonly transport: Transport | null;
  readonly hash: string;
}

/**
 * The audit chain's link:
 *   hash(n) = SHA-256( hash(n-1) ‖ "\n" ‖ seq ‖ "\n" ‖ at (ms) ‖ "\n" ‖ actor ‖ "\n" ‖ transport ‖ "\n" ‖ action ‖ "\n" ‖ target ‖ "\n" ‖ outcome ‖ "\n" ‖ details JSON )
 * over UTF-8, hash(0) being 64 zeros. Records from before the transport column (transport NULL) were
 * chained without the transport line, and are checked that way.
 */
export function auditHash(previousHash: string, r: { seq: number; at: number; actor: string; transport: string | null; action: string; target: string; outcome: string; details: string }): string {
  const transport = r.transport === null ? '' : `${r.transport}\n`;
  return hash('sha256', `${previousHash}\n${r.seq}\n${r.at}\n${r.actor}\n${transport}${r.action}\n${r.target}\n${r.outcome}\n${r.details}`, 'hex');
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
    this.insert = db.prepare('INSERT INTO audit (seq, at, actor, transport, action, target, outcome, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  }

  record(entry: AuditEntry): void {
    const at = this.clock();
    const details = JSON.stringify(entry.details ?? {});
    this.db.transaction(() => {
      const previous = this.last.get() ?? { seq: 0, hash: GENESIS_HASH };
      const seq = previous.seq + 1;
      const record = { seq, at, actor: entry.actor, transport: entry.transport, action: entry.action, target: entry.target, outcome: entry.outcome, details };
      this.insert.run(seq, at, entry.actor, entry.transport, entry.action, entry.target, entry.outcome, details, auditHash(previous.hash, record));
    }).immediate();
  }

  recent(limit: number): AuditRecord[] {
    const rows = this.db.prepare('SELECT seq, at, actor, transport, action, target, outcome, details, hash FROM audit ORDER BY seq DESC LIMIT ?').all(limit) as Array<{
      seq: number;
      at: number;
      actor: string;
      transport: Transport | null;
      action: string;
      target: string;
      outcome: AuditEntry['outcome'];
      details: string;
      hash: string;
    }>;
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), details: JSON.parse(r.details) as Record<string, unknown> }));
  }
}
