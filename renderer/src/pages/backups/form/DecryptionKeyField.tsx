import { useId } from 'react';
import type { DecryptionKeys } from '../../../../../shared/api/backupContract.js';
import type { EncryptionKind } from '../../../../../shared/backup.js';
import { FieldNote } from '../../../ui/FormField.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';

/** Where the key of an encrypted archive comes from, for one call: typed here, or a file on the server. */
export type KeySource = 'passphrase' | 'passphraseFile' | 'identity' | 'identityFile';

export const KEY_LABELS: Readonly<Record<KeySource, string>> = {
  passphrase: 'Passphrase',
  passphraseFile: 'Passphrase file',
  identity: 'Identity (AGE-SECRET-KEY-1…)',
  identityFile: 'Identity file',
};

/** The key sources that can open archives encrypted these ways (a passphrase first, a file for identities). */
export function keySourcesFor(kinds: Iterable<EncryptionKind>): readonly KeySource[] {
  const set = new Set(kinds);
  return [...(set.has('age-passphrase') ? (['passphrase', 'passphraseFile'] as const) : []), ...(set.has('age-recipient') ? (['identityFile', 'identity'] as const) : [])];
}

/** The `keys` of an API call: the one source chosen, or none. Typed secrets are sent as typed; paths and identities trimmed. */
export function keysOf(source: KeySource | undefined, secret: string): DecryptionKeys {
  if (source === undefined || secret.trim() === '') return {};
  return { [source]: source === 'passphrase' ? secret : secret.trim() };
}

/**
 * The key for encrypted archives: a choice of source and the value. The value lives in the caller's state
 * only, for the calls it makes; it is never stored.
 */
export function DecryptionKeyField({
  legend,
  sources,
  source,
  onSource,
  secret,
  onSecret,
  error,
  testId,
}: {
  readonly legend: string;
  readonly sources: readonly KeySource[];
  readonly source: KeySource;
  readonly onSource: (source: KeySource) => void;
  readonly secret: string;
  readonly onSecret: (secret: string) => void;
  /** Why the key given cannot be used (e.g. not an age identity). */
  readonly error?: string;
  readonly testId?: string;
}) {
  const id = useId();
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {sources.length > 1 && (
        <SegmentedChoice options={sources.map((s) => [s, KEY_LABELS[s]] as const)} value={source} onChange={onSource} label="Key source" />
      )}
      <label className="field" htmlFor={`${id}-key`}>
        <span className="field__label">{KEY_LABELS[source]}</span>
        <input
          id={`${id}-key`}
          className={`input${error === undefined ? '' : ' input--invalid'}`}
          type={source === 'passphrase' || source === 'identity' ? 'password' : 'text'}
          autoComplete="off"
          spellCheck={false}
          placeholder={source.endsWith('File') ? '/absolute/path/on/the/server' : undefined}
          value={secret}
          onChange={(e) => onSecret(e.target.value)}
          aria-invalid={error !== undefined}
          data-testid={testId}
        />
        <FieldNote error={error} />
      </label>
    </fieldset>
  );
}
