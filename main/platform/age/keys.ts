import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ConsoleError } from '../../../shared/errors.js';
import { readFileBoundedSync } from '../fs/boundedRead.js';
import { decodeBech32, encodeBech32 } from './bech32.js';

// DER prefixes that wrap a raw 32-byte X25519 key for node:crypto (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** An X25519 recipient (`age1…`): who an archive is encrypted to. */
export interface X25519Recipient {
  readonly text: string;
  readonly publicKey: Buffer;
  readonly keyObject: KeyObject;
}

/** An X25519 identity (`AGE-SECRET-KEY-1…`): what decrypts an archive encrypted to its recipient. */
export interface X25519Identity {
  readonly keyObject: KeyObject;
  /** The matching recipient's raw public key (the X25519 stanza's HKDF salt needs it). */
  readonly publicKey: Buffer;
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

/** Parses an `age1…` X25519 recipient; INVALID_INPUT with the reason otherwise. */
export function parseRecipient(text: string): X25519Recipient {
  const trimmed = text.trim();
  if (trimmed.toLowerCase().startsWith('age1pq1') || trimmed.toLowerCase().startsWith('age1tag')) {
    throw new ConsoleError(
      'INVALID_INPUT',
      'post-quantum and tag recipients are not supported for backups: Debian 12’s age 1.1 cannot decrypt them, so an archive must stay restorable by hand. Use an X25519 recipient (age-keygen)',
    );
  }
  const decoded = decodeBech32(trimmed);
  if (decoded === undefined || decoded.hrp !== 'age' || decoded.bytes.length !== 32) {
    throw new ConsoleError('INVALID_INPUT', `${JSON.stringify(trimmed.slice(0, 80))} is not an age X25519 recipient (age1… as printed by age-keygen)`);
  }
  return { text: trimmed.toLowerCase(), publicKey: decoded.bytes, keyObject: publicKeyObject(decoded.bytes) };
}

export function parseX25519Identity(text: string): X25519Identity {
  const decoded = decodeBech32(text.trim());
  if (decoded === undefined || decoded.hrp !== 'age-secret-key-' || decoded.bytes.length !== 32) {
    throw new ConsoleError('INVALID_INPUT', 'not an age X25519 identity (AGE-SECRET-KEY-1… as written by age-keygen)');
  }
  const keyObject = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, decoded.bytes]), format: 'der', type: 'pkcs8' });
  return { keyObject, publicKey: rawPublicKey(createPublicKey(keyObject)) };
}

/** The `age1…` recipient of an identity (what `age-keygen -y` prints). */
export function recipientOfIdentity(identity: X25519Identity): string {
  return encodeBech32('age', identity.publicKey);
}

/** Identities as age reads an identity file: one per line, `#` comments and blank lines ignored. */
export interface IdentityFile {
  readonly x25519: readonly X25519Identity[];
  /** Identities of kinds handled by the age-encryption library only (e.g. AGE-SECRET-KEY-PQ-1…). */
  readonly other: readonly string[];
}

export function parseIdentityFile(text: string, what: string): IdentityFile {
  const x25519: X25519Identity[] = [];
  const other: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('AGE-SECRET-KEY-1')) x25519.push(parseX25519Identity(line));
    else if (line.startsWith('AGE-SECRET-KEY-')) other.push(line);
    else throw new ConsoleError('INVALID_INPUT', `${what} is not an age identity file (lines of AGE-SECRET-KEY-1…, as written by age-keygen)`);
  }
  if (x25519.length === 0 && other.length === 0) throw new ConsoleError('INVALID_INPUT', `${what} holds no age identity`);
  return { x25519, other };
}

/** A passphrase or identity file is a few lines; this much is not one (and /dev/zero never ends). */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Reads a file the admin names for a secret, bounded (issue 9, class 7); NOT_FOUND when it does not exist. */
export function readSecretFile(path: string, what: string): string {
  return readFileBoundedSync(path, { what: `the ${what} ${path}`, maxBytes: MAX_SECRET_FILE_BYTES, limitReason: 'that is no passphrase or identity file' }).toString('utf8');
}

/** The passphrase in a file: its first line, without the line ending (what `age` would read from a terminal). */
export function parsePassphraseFile(text: string, what: string): string {
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase === '') throw new ConsoleError('INVALID_INPUT', `${what} is empty: its first line is the passphrase`);
  return passphrase;
}
