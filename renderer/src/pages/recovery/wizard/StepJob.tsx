import type { ReactNode } from 'react';
import type { JobInfo } from '../../../../../shared/jobs.js';
import { JobProgressView } from '../../../jobs/JobProgressView.js';
import { progressArchive } from '../../../jobs/recoveryResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { baseName } from '../../backups/labels.js';
import { JobCancel } from './JobCancel.js';

/** What a step that runs a job says at each stage (validation, dry run). */
export interface StepJobWords {
  readonly start: string;
  readonly startTestId: string;
  readonly jobTestId: string;
  readonly cancelNote: string;
  readonly failed: string;
  readonly cancelled: string;
  readonly again: string;
}

/**
 * A wizard step's job until it has a result: the button that starts it (unless starting was refused: the
 * step shows why), then its progress (the archive it is on, cancel), and once it ended without a result,
 * why and how to run it again.
 */
export function StepJob({ job, startError, starting, onStart, words, moreActions }: { readonly job: JobInfo | undefined; readonly startError: Error | null; readonly starting: boolean; readonly onStart: () => void; readonly words: StepJobWords; readonly moreActions?: ReactNode }) {
  const archive = job?.state === 'running' ? progressArchive(job.progress) : null;
  return (
    <>
      {job === undefined && startError === null && (
        <div className="wizard-step__actions">
          <button type="button" className="button button--primary" disabled={starting} onClick={onStart} data-testid={words.startTestId}>
            {starting ? 'Starting…' : words.start}
          </button>
        </div>
      )}
      {job !== undefined && (
        <div className="wizard-job" data-testid={words.jobTestId}>
          <JobProgressView job={job} />
          {archive !== null && <p className="muted wizard-job__archive">on {baseName(archive)}</p>}
          {job.state === 'running' && <JobCancel jobId={job.id} note={words.cancelNote} />}
          {job.state === 'failed' && job.error !== null && <ErrorPanel error={job.error} title={words.failed} />}
          {job.state === 'cancelled' && <p className="muted">{words.cancelled}</p>}
          {job.state !== 'running' && (
            <div className="wizard-step__actions">
              <button type="button" className="button" onClick={onStart}>
                {words.again}
              </button>
              {moreActions}
            </div>
          )}
        </div>
      )}
    </>
  );
}
