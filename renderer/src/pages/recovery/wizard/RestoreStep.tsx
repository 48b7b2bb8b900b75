import { useState } from 'react';
import type { JobInfo } from '../../../../../shared/jobs.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { progressArchive } from '../../../jobs/recoveryResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Spinner } from '../../../ui/Skeleton.js';
import { baseName } from '../../backups/labels.js';
import { phaseLabel } from '../labels.js';
import { JobCancel } from './JobCancel.js';

/** Step 6: the restore's progress — its phases as they come, the bar with counts, rate and ETA. */
export function RestoreStep({ job, onBack }: { readonly job: JobInfo | undefined; readonly onBack: () => void }) {
  // The phases seen so far, in order (the job reports only the current one).
  const [phases, setPhases] = useState<readonly string[]>([]);
  const phase = job?.progress?.phase;
  if (phase !== undefined && phase !== '' && phases[phases.length - 1] !== phase) setPhases([...phases.filter((p) => p !== phase), phase]);
  const archive = job?.state === 'running' ? progressArchive(job.progress) : null;
  return (
    <div className="wizard-step" data-testid="step-restore">
      <h2 className="wizard-step__title">Restoring</h2>
      {job === undefined ? (
        <p>
          <Spinner /> Starting the restore…
        </p>
      ) : (
        <>
          {phases.length > 0 && (
            <ol className="phase-list" aria-label="Phases">
              {phases.map((p, i) => {
                const current = i === phases.length - 1 && job.state === 'running';
                return (
                  <li key={p} className={`phase-list__item${current ? ' phase-list__item--current' : ''}`}>
                    {current ? <Spinner label={`${p} in progress`} /> : <span className={`dot dot--${job.state === 'failed' && i === phases.length - 1 ? 'bad' : 'ok'}`} />}
                    {phaseLabel(p)}
                  </li>
                );
              })}
            </ol>
          )}
          <div className="wizard-job" data-testid="restore-job">
            <JobProgressView job={job} />
            {archive !== null && <p className="muted wizard-job__archive">on {baseName(archive)}</p>}
            {job.state === 'running' && <JobCancel jobId={job.id} note="Before the swap, cancelling leaves the store as it was." />}
          </div>
          {job.state === 'failed' && job.error !== null && <ErrorPanel error={job.error} title="The restore failed: the store was left as it was" />}
          {job.state === 'cancelled' && <p className="muted">Cancelled: the store was left as it was.</p>}
          {(job.state === 'failed' || job.state === 'cancelled') && (
            <div className="wizard-step__actions">
              <button type="button" className="button" onClick={onBack} data-testid="restore-back">
                Back to the confirmation
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
