import { useId, useState } from 'react';
import type { BackupCatalog } from '../../../../../shared/api/backupTypes.js';
import type { InputOf } from '../../../../../shared/api/contract.js';
import type { BackupKind } from '../../../../../shared/backup.js';
import { useApiMutation } from '../../../api/hooks.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isBackupCreateResult } from '../../../jobs/backupResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Panel } from '../../../ui/Panel.js';
import { DestinationField } from '../form/DestinationField.js';
import { BACKUP_KINDS, isAbsolutePath, joinPath, parentDir } from '../labels.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';

type EncryptionChoice = 'none' | 'passphrase' | 'passphraseFile' | 'recipient';
type CreateInput = InputOf<'backup.create'>;

const ENCRYPTION_CHOICES: ReadonlyArray<readonly [EncryptionChoice, string]> = [
  ['none', 'None'],
  ['passphrase', 'Passphrase'],
  ['passphraseFile', 'Passphrase file'],
  ['recipient', 'age recipient'],
];

/** Where a first backup goes when no folder is known yet: "backups" beside the store's folder. */
export function suggestedDestination(catalog: BackupCatalog, storePath: string | undefined): string {
  return catalog.folders[0]?.dir ?? (storePath === undefined ? '' : joinPath(parentDir(storePath), 'backups'));
}

/**
 * Run now: a full or incremental backup to a folder, optionally encrypted, as a job with its progress
 * bar (phase, bytes or events, rate, ETA) and its result. A passphrase typed here is sent with this one
 * call and cleared from the form: it is never stored.
 */
export function RunBackupPanel({ catalog, storePath, onClose, onShowArchive }: { readonly catalog: BackupCatalog; readonly storePath: string | undefined; readonly onClose: () => void; readonly onShowArchive: (archive: string) => void }) {
  const id = useId();
  const hasChain = catalog.folders.some((f) => f.chains.length > 0);
  const [destination, setDestination] = useState(() => suggestedDestination(catalog, storePath));
  const [kind, setKind] = useState<BackupKind>(hasChain ? 'incremental' : 'full');
  const [encryption, setEncryption] = useState<EncryptionChoice>('none');
  const [secret, setSecret] = useState('');
  const [showSecret, setShowSecret] = useState(false);
  const [includeViews, setIncludeViews] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const create = useApiMutation('backup.create');
  const job = useJobById(jobId);
  const running = create.isPending || job?.state === 'running';

  const problem =
    destination.trim() === ''
      ? 'Choose the destination folder.'
      : !isAbsolutePath(destination.trim())
        ? 'The destination must be an absolute path on the server.'
        : encryption === 'passphrase' && secret.length < 8
          ? 'Use a passphrase of at least 8 characters.'
          : (encryption === 'passphraseFile' || encryption === 'recipient') && secret.trim() === ''
            ? encryption === 'recipient'
              ? 'Give the age recipient (age1…).'
              : 'Give the path of the passphrase file.'
            : null;

  const start = () => {
    const enc: CreateInput['encryption'] =
      encryption === 'none'
        ? { kind: 'none' }
        : encryption === 'passphrase'
          ? { kind: 'age-passphrase', passphrase: secret }
          : encryption === 'passphraseFile'
            ? { kind: 'age-passphrase', passphraseFile: secret.trim() }
            : { kind: 'age-recipient', recipient: secret.trim() };
    create.mutate(
      { destination: destination.trim(), kind, encryption: enc, includeViews: kind === 'full' && includeViews },
      {
        onSuccess: ({ jobId: started }) => {
          setJobId(started);
          if (encryption === 'passphrase') setSecret(''); // sent once, never kept
        },
      },
    );
  };

  const result = job?.state === 'succeeded' && isBackupCreateResult(job.result) ? job.result : undefined;
  return (
    <Panel
      title="Run a backup now"
      className="run-backup"
      testId="run-backup"
      actions={
        <button type="button" className="button button--small button--quiet" onClick={onClose} disabled={running}>
          Close
        </button>
      }
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          if (problem === null && !running) start();
        }}
      >
        <DestinationField id={`${id}-dest`} value={destination} onChange={setDestination} folders={catalog.folders.map((f) => f.dir)} testId="run-destination" />
        <div className="field">
          <span className="field__label" id={`${id}-kind`}>
            Kind
          </span>
          <SegmentedChoice options={BACKUP_KINDS} value={kind} onChange={setKind} labelledBy={`${id}-kind`} testId={(k) => `run-kind-${k}`} />
          <span className="field__hint">{kind === 'full' ? 'A consistent snapshot of the whole log (appends continue meanwhile).' : 'The events after the newest archive of the folder’s chain; a full backup when there is no chain to continue.'}</span>
        </div>
        <div className="field">
          <span className="field__label" id={`${id}-enc`}>
            Encryption
          </span>
          <SegmentedChoice
            options={ENCRYPTION_CHOICES}
            value={encryption}
            onChange={(value) => {
              setEncryption(value);
              setSecret('');
            }}
            labelledBy={`${id}-enc`}
          />
          {encryption !== 'none' && (
            <div className="field__inline">
              <input
                className="input"
                aria-label={encryption === 'passphrase' ? 'Passphrase' : encryption === 'passphraseFile' ? 'Passphrase file' : 'age recipient'}
                type={encryption === 'passphrase' && !showSecret ? 'password' : 'text'}
                autoComplete={encryption === 'passphrase' ? 'new-password' : 'off'}
                spellCheck={false}
                placeholder={encryption === 'passphrase' ? 'at least 8 characters' : encryption === 'passphraseFile' ? '/absolute/path/to/passphrase.txt' : 'age1…'}
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                data-testid="run-secret"
              />
              {encryption === 'passphrase' && (
                <button type="button" className="button button--small button--quiet" onClick={() => setShowSecret((s) => !s)} aria-pressed={showSecret}>
                  {showSecret ? 'Hide' : 'Show'}
                </button>
              )}
            </div>
          )}
          <span className="field__hint">
            {encryption === 'none'
              ? 'The archive is a plain .tar.gz: keep the folder private.'
              : encryption === 'passphrase'
                ? 'Sent for this backup only and never stored. Without it the archive cannot be restored: keep it safe.'
                : encryption === 'passphraseFile'
                  ? 'A file on the server whose first line is the passphrase; it is read for this backup only.'
                  : 'Encrypts to an X25519 public key; restoring needs the matching identity (AGE-SECRET-KEY-1…).'}
          </span>
        </div>
        <label className="check">
          <input type="checkbox" checked={includeViews} onChange={(e) => setIncludeViews(e.target.checked)} disabled={kind === 'incremental'} />
          Include views.db (read models; they can always be rebuilt from the log)
        </label>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={problem !== null || running} data-testid="run-start">
            {running ? 'Backing up…' : `Start ${kind === 'full' ? 'full' : 'incremental'} backup`}
          </button>
          {problem !== null && <span className="muted">{problem}</span>}
        </div>
      </form>
      {create.error !== null && <ErrorPanel error={create.error} title="The backup could not start" />}
      {job !== undefined && (
        <div className="run-backup__job" data-testid="run-job">
          <JobProgressView job={job} />
          {job.state === 'failed' && job.error !== null && <ErrorPanel error={job.error} title="The backup failed" />}
          {job.state === 'cancelled' && <p className="muted">Cancelled: nothing was left under a final name.</p>}
          {result !== undefined && (
            <div className={`run-result ${result.created ? 'run-result--ok' : ''}`} data-testid="run-result" data-created={result.created}>
              {result.created ? (
                <>
                  <strong>Backup written:</strong> {result.message}
                  {result.archiveBytes !== null && ` · ${formatBytes(result.archiveBytes)}`} · up to #{formatCount(result.toPosition)}
                  {result.archive !== null && (
                    <button type="button" className="button button--small" onClick={() => onShowArchive(result.archive!)}>
                      Show in catalog
                    </button>
                  )}
                </>
              ) : (
                <>
                  <strong>Nothing to back up:</strong> {result.message}
                </>
              )}
            </div>
          )}
        </div>
      )}
    </Panel>
  );
}
