import { isAbsolute, resolve } from 'node:path';
import type { DecryptionKeys } from '../../../shared/api/backupContract.js';
import { ConsoleError } from '../../../shared/errors.js';
import { readDecryptionKeyFiles, type DecryptionKeyInput } from '../../backup/index.js';

/**
 * A path from a client, normalised. Relative paths are refused: they would be read against the main
 * process's working folder, which means nothing to a client (and differs between Electron and serve mode).
 */
export function absolutePath(path: string, what: string): string {
  if (!isAbsolute(path)) throw new ConsoleError('INVALID_INPUT', `${what} must be an absolute path, got ${path}`);
  return resolve(path);
}

/**
 * The keys given for one call (a passphrase or identity typed in, and/or files the admin names), read
 * into memory for that call only: they go to the worker in its input and are never stored.
 */
export function decryptionKeysFrom(keys: DecryptionKeys): DecryptionKeyInput {
  const fromFiles = readDecryptionKeyFiles({
    passphraseFile: keys.passphraseFile === undefined ? undefined : absolutePath(keys.passphraseFile, 'the passphrase file'),
    identityFile: keys.identityFile === undefined ? undefined : absolutePath(keys.identityFile, 'the identity file'),
  });
  return {
    passphrases: [...(keys.passphrase === undefined ? [] : [keys.passphrase]), ...(fromFiles.passphrases ?? [])],
    identities: [...(keys.identity === undefined ? [] : [keys.identity]), ...(fromFiles.identities ?? [])],
  };
}
