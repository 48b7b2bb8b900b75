import type { EncryptionKind } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { createHeader } from '../platform/index.js';
import { parseIdentityFile, parsePassphraseFile, parseRecipient, parseX25519Identity, readSecretFile } from '../platform/index.js';
import { AgeEncryptStream, type DecryptionKeys } from '../platform/index.js';

/**
 * How a new archive is encrypted. Plain data so it can cross into a worker thread; the secret lives only
 * in memory for the duration of the job and is never written anywhere.
 */
export type EncryptionSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'age-passphrase'; readonly passphrase: string; /** 2^N scrypt work; age's default 18 */ readonly scryptLogN?: number }
  | { readonly kind: 'age-recipient'; readonly recipients: readonly string[] };

/** What may open archives: passphrases and identity lines (`AGE-SECRET-KEY-1…`). Plain data, like EncryptionSpec. */
export interface DecryptionKeyInput {
  readonly passphrases?: readonly string[];
  readonly identities?: readonly string[];
}

export function encryptionKindOf(spec: EncryptionSpec): EncryptionKind {
  return spec.kind;
}

/** Checks a spec before any work starts, so a bad recipient is INVALID_INPUT and not a half-made archive. */
export function validateEncryption(spec: EncryptionSpec): void {
  if (spec.kind === 'age-recipient') {
    if (spec.recipients.length === 0) throw new ConsoleError('INVALID_INPUT', 'age-recipient encryption needs at least one recipient');
    for (const r of spec.recipients) parseRecipient(r);
  } else if (spec.kind === 'age-passphrase') {
    if (spec.passphrase === '') throw new ConsoleError('INVALID_INPUT', 'the passphrase is empty');
    const logN = spec.scryptLogN ?? 18;
    if (!Number.isInteger(logN) || logN < 10 || logN > 20) throw new ConsoleError('INVALID_INPUT', 'scryptLogN must be a whole number from 10 to 20');
  }
}

/** The transform that encrypts an archive for `spec`, or undefined for none. */
export async function createEncryptStream(spec: EncryptionSpec): Promise<AgeEncryptStream | undefined> {
  if (spec.kind === 'none') return undefined;
  validateEncryption(spec);
  const { header, fileKey } = await createHeader(
    spec.kind === 'age-passphrase' ? { passphrase: spec.passphrase, scryptLogN: spec.scryptLogN } : { recipients: spec.recipients.map(parseRecipient) },
  );
  return new AgeEncryptStream(header, fileKey);
}

export function toDecryptionKeys(input: DecryptionKeyInput): DecryptionKeys {
  const identities = input.identities ?? [];
  return {
    passphrases: [...(input.passphrases ?? [])],
    identities: identities.filter((i) => i.startsWith('AGE-SECRET-KEY-1')).map(parseX25519Identity),
    otherIdentities: identities.filter((i) => !i.startsWith('AGE-SECRET-KEY-1')),
  };
}

export function hasAnyKey(input: DecryptionKeyInput): boolean {
  return (input.passphrases?.length ?? 0) + (input.identities?.length ?? 0) > 0;
}

/** Reads `--passphrase-file` / `--identity` style files into key input (the CLI and the scheduler use it). */
export function readDecryptionKeyFiles(files: { readonly passphraseFile?: string; readonly identityFile?: string }): DecryptionKeyInput {
  const passphrases = files.passphraseFile === undefined ? [] : [parsePassphraseFile(readSecretFile(files.passphraseFile, 'passphrase file'), files.passphraseFile)];
  const identities: string[] = [];
  if (files.identityFile !== undefined) {
    const text = readSecretFile(files.identityFile, 'identity file');
    parseIdentityFile(text, files.identityFile); // validates; the lines themselves cross to the worker
    for (const line of text.split('\n').map((l) => l.trim())) if (line.startsWith('AGE-SECRET-KEY-')) identities.push(line);
  }
  return { passphrases, identities };
}

export function readPassphraseFile(path: string): string {
  return parsePassphraseFile(readSecretFile(path, 'passphrase file'), path);
}
