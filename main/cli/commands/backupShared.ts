import type { InputOf } from '../../../shared/api/contract.js';
import { stringListOption, stringOption, type ParsedCommand } from '../command.js';
import { absolute } from '../console.js';
import { usageError } from '../output.js';

type Encryption = InputOf<'backup.create'>['encryption'];
type Keys = NonNullable<InputOf<'backup.verify'>['keys']>;

/** `--passphrase-file <f>` or `--recipient <age1…>` (repeatable): how `backup create` encrypts. */
export function encryptionFromArgs(args: ParsedCommand): Encryption {
  const passphraseFile = stringOption(args, 'passphrase-file');
  const recipients = stringListOption(args, 'recipient');
  if (passphraseFile !== undefined && recipients.length > 0) throw usageError('give --passphrase-file or --recipient, not both');
  if (passphraseFile !== undefined) return { kind: 'age-passphrase', passphraseFile: absolute(passphraseFile) };
  if (recipients.length > 0) return { kind: 'age-recipient', recipient: recipients[0]!, additionalRecipients: recipients.length > 1 ? recipients.slice(1) : undefined };
  return { kind: 'none' };
}

/** `--passphrase-file <f>` or `--identity <f>`: what opens an encrypted archive (the files are read by the call). */
export function keysFromArgs(args: ParsedCommand): Keys {
  const passphraseFile = stringOption(args, 'passphrase-file');
  const identityFile = stringOption(args, 'identity');
  if (passphraseFile !== undefined && identityFile !== undefined) throw usageError('give --passphrase-file or --identity, not both');
  return {
    ...(passphraseFile === undefined ? {} : { passphraseFile: absolute(passphraseFile) }),
    ...(identityFile === undefined ? {} : { identityFile: absolute(identityFile) }),
  };
}

/** `--sign-key <file>`: the private key `backup create` signs the manifest with (the file is read by the call). */
export function signKeyFromArgs(args: ParsedCommand): string | undefined {
  const file = stringOption(args, 'sign-key');
  return file === undefined ? undefined : absolute(file);
}

/** `--trust-key <file>`: the public key every archive must be signed by (verify, restore, drill). */
export function trustKeyFromArgs(args: ParsedCommand): string | undefined {
  const file = stringOption(args, 'trust-key');
  return file === undefined ? undefined : absolute(file);
}
