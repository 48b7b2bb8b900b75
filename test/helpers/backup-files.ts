import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { generateIdentity, identityToRecipient } from 'age-encryption';

/** Every file name in a folder, hidden ones included, sorted. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The files a backup folder shows under final names (not the lock or temporary files). */
export function finalNames(dir: string): string[] {
  return filesIn(dir).filter((n) => !n.startsWith('.'));
}

/** The head of an events.db file, read directly (no engine code). */
export function headOf(eventsDb: string): { position: number; hash: string } {
  const db = new Database(eventsDb, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT global_position AS position, hash FROM events ORDER BY global_position DESC LIMIT 1').get() as { position: number; hash: string }) ?? { position: 0, hash: '0'.repeat(64) };
  } finally {
    db.close();
  }
}

/** A new X25519 identity and its recipient. */
export async function newKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}
