import { z } from 'zod';
import type { TrustedKeyInfo } from '../../shared/backup.js';
import { defineSetting, deleteSetting, readSettingRecord, writeSetting, type ReadableDB, type WritableDB } from '../platform/index.js';
import { parseTrustedKey, type TrustedKeyInput } from './signing.js';

/**
 * The store's trusted signing key (DESIGN §7, issue 9 class 11): with one set, the console's verifications,
 * restores, drills and scheduled backups refuse an archive that is not signed by it. A typed setting until
 * the policy document (issue 13) takes it over; only its public half is ever stored.
 */
const TRUSTED_KEY_SETTING = defineSetting('backupTrustedKey', z.object({ publicKeyPem: z.string().min(1).max(8192) }).strict());

export function readTrustedKey(db: ReadableDB): TrustedKeyInfo | null {
  const stored = readSettingRecord(db, TRUSTED_KEY_SETTING);
  if (stored === undefined) return null;
  try {
    const { keyId, publicKeyPem } = parseTrustedKey(stored.value.publicKeyPem);
    return { keyId, publicKeyPem, updatedAt: new Date(stored.updatedAt).toISOString() };
  } catch {
    return null; // a hand-edited value that is no key reads as none, as any setting that fails its schema
  }
}

/** The trusted key as a worker takes it, or undefined when the store trusts no key. */
export function trustedKeyInput(db: ReadableDB): TrustedKeyInput | undefined {
  const key = readTrustedKey(db);
  return key === null ? undefined : { publicKeyPem: key.publicKeyPem };
}

/** Sets the trusted key from PEM text (a public key, or a private key whose public half is meant): INVALID_INPUT for anything else. */
export function writeTrustedKey(db: WritableDB, pem: string, now: number): TrustedKeyInfo {
  const { keyId, publicKeyPem } = parseTrustedKey(pem);
  writeSetting(db, TRUSTED_KEY_SETTING, { publicKeyPem }, now);
  return { keyId, publicKeyPem, updatedAt: new Date(now).toISOString() };
}

export function clearTrustedKey(db: WritableDB): boolean {
  return deleteSetting(db, TRUSTED_KEY_SETTING);
}
