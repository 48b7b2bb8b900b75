import { useState } from 'react';
import type { CatalogEntry } from '../../../../../shared/backup.js';
import { useInputForm } from '../../../api/useInputForm.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { useJobById } from '../../../jobs/JobsProvider.js';
import { isArchiveVerification } from '../../../jobs/backupResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { FormIssues } from '../../../ui/FormField.js';
import { DecryptionKeyField, keySourcesFor, keysOf, type KeySource } from '../form/DecryptionKeyField.js';
import { baseName } from '../labels.js';

const VERIFY_ISSUES = { under: [], fields: ['keys'] };

const CONTINUITY: Readonly<Record<string, string>> = {
  'not-applicable': 'a full archive: it starts at the genesis',
  ok: 'continues the archive before it (same hash)',
  unknown: 'no archive in this folder ends where it starts',
  broken: 'an archive ends where it starts, with another hash: the histories differ',
};

/**
 * Verify one archive as a job: checksums, decryption, manifest, test open, hash chain, continuity. An
 * encrypted archive asks for its key here; the key goes with this one call and is never kept.
 */
export function VerifyArchive({ entry, jobId, onStarted }: { readonly entry: CatalogEntry; readonly jobId: string | undefined; readonly onStarted: (jobId: string) => void }) {
  const encryption = entry.manifest.encryption;
  const sources = keySourcesFor([encryption]);
  const [source, setSource] = useState<KeySource | undefined>(sources[0]);
  const [secret, setSecret] = useState('');
  const verify = useInputForm('backup.verify', { archive: entry.archive, keys: keysOf(source, secret) }, VERIFY_ISSUES);
  const job = useJobById(jobId);
  const running = verify.mutation.isPending || job?.state === 'running';
  const missingKey = source !== undefined && secret.trim() === '';

  const start = () =>
    verify.submit({
      onSuccess: ({ jobId: started }) => {
        setSecret(''); // used once, never kept
        onStarted(started);
      },
    });

  const result = job?.state === 'succeeded' && isArchiveVerification(job.result) ? job.result : undefined;
  return (
    <section className="verify-archive" data-testid="verify-archive">
      <form
        className="verify-archive__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!running && !missingKey) start();
        }}
        noValidate
      >
        {source !== undefined && (
          <DecryptionKeyField
            legend={`Key for this ${encryption === 'age-passphrase' ? 'passphrase-encrypted' : 'recipient-encrypted'} archive (used for this check only, never stored)`}
            sources={sources}
            source={source}
            onSource={(s) => {
              setSource(s);
              setSecret('');
            }}
            secret={secret}
            onSecret={setSecret}
            error={verify.issues.at('keys')}
            testId="verify-key"
          />
        )}
        <button type="submit" className="button button--primary button--small" disabled={running || missingKey} data-testid="verify-start">
          {running ? 'Verifying…' : 'Verify archive'}
        </button>
      </form>
      <FormIssues issues={verify.issues} refused="Verify did not start" />
      {verify.error !== null && <ErrorPanel error={verify.error} title="Verify could not start" />}
      {job !== undefined && result === undefined && (
        <div className="verify-archive__job" data-testid="archive-verify-job">
          <JobProgressView job={job} />
          {job.state === 'failed' && job.error !== null && <ErrorPanel error={job.error} title={`${baseName(entry.archive)} could not be verified`} />}
        </div>
      )}
      {result !== undefined && (
        <div className={`verify-result ${result.ok ? 'verify-result--ok' : 'verify-result--bad'}`} data-testid="archive-verify-result" data-ok={result.ok}>
          <div className="verify-result__head">
            {result.ok ? 'Verified: no problems found' : `${formatCount(result.problems.length)} ${result.problems.length === 1 ? 'problem' : 'problems'} found`}
            <span className="muted">
              {' '}
              · {formatCount(result.eventsChecked)} events checked in {formatDuration(result.durationMs)}
            </span>
          </div>
          <p className="verify-result__continuity">Chain: {CONTINUITY[result.continuity] ?? result.continuity}</p>
          {result.problems.length > 0 && (
            <table className="problem-table" data-testid="archive-problems">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Member</th>
                  <th scope="col">Check</th>
                  <th scope="col">What was found</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p, i) => (
                  <tr key={i} data-code={p.code} data-member={p.member ?? ''}>
                    <td>
                      <code className="problem-list__code">{p.code}</code>
                    </td>
                    <td className="mono">{p.member ?? 'whole archive'}</td>
                    <td>{p.check}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
