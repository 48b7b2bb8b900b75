import { useEffect, useRef } from 'react';
import type { JobInfo } from '../../../shared/jobs.js';
import { useApiMutation } from '../api/hooks.js';
import { formatDuration } from '../format/time.js';
import { InlineError } from '../ui/ErrorPanel.js';
import { Spinner } from '../ui/Skeleton.js';
import { TimeStamp } from '../ui/TimeStamp.js';
import { JobProgressView } from './JobProgressView.js';
import { useJobs } from './JobsProvider.js';
import { describeOutcome } from './jobOutcome.js';

/** The jobs list: what is running (bar, counts, rate, ETA, cancel) and what ran (outcome). */
export function JobsPanel({ onClose }: { readonly onClose: () => void }) {
  const { jobs, loaded } = useJobs();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panel.current?.focus();
    // Captured first and consumed: Esc closes this panel, not the event detail under it too.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      onClose();
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Element | null;
      if (target !== null && !panel.current?.contains(target) && target.closest('[data-jobs-toggle]') === null) onClose();
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [onClose]);
  return (
    <div className="jobs-panel" role="dialog" aria-label="Jobs" ref={panel} tabIndex={-1} data-testid="jobs-panel">
      <header className="jobs-panel__head">
        <h2>Jobs</h2>
        <button type="button" className="button button--small button--quiet" onClick={onClose} aria-label="Close jobs">
          Close <kbd>Esc</kbd>
        </button>
      </header>
      <div className="jobs-panel__list">
        {!loaded && jobs.length === 0 && (
          <div className="jobs-panel__empty">
            <Spinner /> Loading jobs…
          </div>
        )}
        {loaded && jobs.length === 0 && <div className="jobs-panel__empty">No jobs yet. Verify, demo data and (later) backups and restores run here and leave a record.</div>}
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </div>
    </div>
  );
}

function JobRow({ job }: { readonly job: JobInfo }) {
  const cancel = useApiMutation('jobs.cancel');
  const outcome = describeOutcome(job);
  const ended = job.endedAt === null ? null : Date.parse(job.endedAt) - Date.parse(job.startedAt);
  return (
    <article className="job-row" data-testid="job-row" data-kind={job.kind} data-state={job.state}>
      <div className="job-row__head">
        <span className="job-row__label">{job.label}</span>
        <span className={`status-pill status-pill--${job.state === 'succeeded' ? 'ok' : job.state === 'failed' ? 'bad' : job.state === 'running' ? 'accent' : 'neutral'}`}>{job.state}</span>
      </div>
      <div className="job-row__meta">
        <code>{job.kind}</code> · started <TimeStamp at={job.startedAt} mode="relative" /> by {job.startedBy}
        {ended !== null && ` · took ${formatDuration(ended)}`}
      </div>
      {job.state === 'running' && <JobProgressView job={job} />}
      {job.state === 'running' ? (
        <div className="job-row__actions">
          <button type="button" className="button button--small" disabled={cancel.isPending} onClick={() => cancel.mutate({ jobId: job.id })}>
            Cancel
          </button>
          {cancel.error !== null && <InlineError error={cancel.error} />}
        </div>
      ) : job.state === 'failed' && job.error !== null ? (
        <InlineError error={job.error} />
      ) : (
        <div className={`job-row__outcome tone-${outcome.tone}`}>{outcome.text}</div>
      )}
    </article>
  );
}
