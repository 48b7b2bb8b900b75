import { useId, useState } from 'react';
import type { BackupCatalog } from '../../../../../shared/api/backupTypes.js';
import { useInputForm } from '../../../api/useInputForm.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isBackupCreateResult } from '../../../jobs/backupResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FieldNote, FormIssues } from '../../../ui/FormField.js';
import { Panel } from '../../../ui/Panel.js';
import { SegmentedChoice } from '../../../ui/SegmentedChoice.js';
import { DestinationField } from '../form/DestinationField.js';
import { BACKUP_KINDS } from '../labels.js';
import { createBackupInput, ENCRYPTION_CHOICES, ENCRYPTION_HINTS, newRunBackupForm, RUN_BACKUP_ISSUES, runBackupIssues, SECRET_LABELS, type RunBackupForm } from './runBackupForm.js';

/**
 * Run now: a full or incremental backup to a folder, optionally encrypted, as a job with its progress
 * bar (phase, bytes or events, rate, ETA) and its result. The input is checked with the contract's schema
 * before it is sent. A passphrase typed here is sent with this one call and cleared from the form: it is
 * never stored.
 */
export function RunBackupPanel({ catalog, storePath, onClose, onShowArchive }: { readonly catalog: BackupCatalog; readonly storePath: string | undefined; readonly onClose: () => void; readonly onShowArchive: (archive: string) => void }) {
  const id = useId();
  const [form, setForm] = useState<RunBackupForm>(() => newRunBackupForm(catalog, storePath));
  const set = <K extends keyof RunBackupForm>(key: K, value: RunBackupForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const [showSecret, setShowSecret] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const create = useInputForm('backup.create', createBackupInput(form), { ...RUN_BACKUP_ISSUES, extra: runBackupIssues(form) });
  const job = useJobById(jobId);
  const running = create.mutation.isPending || job?.state === 'running';
  const secret = form.encryption === 'none' ? undefined : SECRET_LABELS[form.encryption];

  const start = () =>
    create.submit({
      onSuccess: ({ jobId: started }) => {
        setJobId(started);
        if (form.encryption === 'passphrase') set('secret', ''); // sent once, never kept
      },
    });

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
          if (!running) start();
        }}
        noValidate
      >
        <DestinationField id={`${id}-dest`} value={form.destination} onChange={(v) => set('destination', v)} folders={catalog.folders.map((f) => f.dir)} error={create.issues.at('destination')} testId="run-destination" />
        <div className="field">
          <span className="field__label" id={`${id}-kind`}>
            Kind
          </span>
          <SegmentedChoice options={BACKUP_KINDS} value={form.kind} onChange={(k) => set('kind', k)} labelledBy={`${id}-kind`} testId={(k) => `run-kind-${k}`} />
          <span className="field__hint">{form.kind === 'full' ? 'A consistent snapshot of the whole log (appends continue meanwhile).' : 'The events after the newest archive of the folder’s chain; a full backup when there is no chain to continue.'}</span>
        </div>
        <div className="field">
          <span className="field__label" id={`${id}-enc`}>
            Encryption
          </span>
          <SegmentedChoice options={ENCRYPTION_CHOICES} value={form.encryption} onChange={(value) => setForm((f) => ({ ...f, encryption: value, secret: '' }))} labelledBy={`${id}-enc`} />
          {secret !== undefined && (
            <div className="field__inline">
              <input
                className={`input${create.issues.at('encryption') === undefined ? '' : ' input--invalid'}`}
                aria-label={secret.label}
                type={form.encryption === 'passphrase' && !showSecret ? 'password' : 'text'}
                autoComplete={form.encryption === 'passphrase' ? 'new-password' : 'off'}
                spellCheck={false}
                placeholder={secret.placeholder}
                value={form.secret}
                onChange={(e) => set('secret', e.target.value)}
                data-testid="run-secret"
              />
              {form.encryption === 'passphrase' && (
                <button type="button" className="button button--small button--quiet" onClick={() => setShowSecret((s) => !s)} aria-pressed={showSecret}>
                  {showSecret ? 'Hide' : 'Show'}
                </button>
              )}
            </div>
          )}
          <FieldNote error={create.issues.at('encryption')} hint={ENCRYPTION_HINTS[form.encryption]} />
        </div>
        <label className="check">
          <input type="checkbox" checked={form.includeViews} onChange={(e) => set('includeViews', e.target.checked)} disabled={form.kind === 'incremental'} />
          Include views.db (read models; they can always be rebuilt from the log)
        </label>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={running} data-testid="run-start">
            {running ? 'Backing up…' : `Start ${form.kind === 'full' ? 'full' : 'incremental'} backup`}
          </button>
          <FormIssues issues={create.issues} refused="The backup did not start" />
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
