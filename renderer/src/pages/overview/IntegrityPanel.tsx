import { useState } from 'react';
import type { IntegrityStatus } from '../../../../shared/api/types.js';
import { useApiMutation } from '../../api/hooks.js';
import { eventHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { formatDuration } from '../../format/time.js';
import { JobProgressView } from '../../jobs/JobProgressView.js';
import { useJobById, useLatestJob } from '../../jobs/JobsProvider.js';
import { isVerifyReport } from '../../jobs/jobOutcome.js';
import { ErrorPanel, InlineError } from '../../ui/ErrorPanel.js';
import { Panel } from '../../ui/Panel.js';
import { TimeStamp } from '../../ui/TimeStamp.js';

/** The last integrity check, and "Verify integrity" running the whole check as a job with its progress. */
export function IntegrityPanel({ integrity }: { readonly integrity: IntegrityStatus | null }) {
  const verify = useApiMutation('store.verify');
  const [startedId, setStartedId] = useState<string | undefined>(undefined);
  const started = useJobById(startedId);
  const latest = useLatestJob('store.verify');
  const job = started ?? latest;
  const running = job?.state === 'running';
  const report = job?.state === 'succeeded' && isVerifyReport(job.result) ? job.result : undefined;

  return (
    <Panel
      title="Integrity"
      testId="integrity-panel"
      actions={
        <button
          type="button"
          className="button button--primary button--small"
          disabled={running || verify.isPending}
          onClick={() => verify.mutate({}, { onSuccess: ({ jobId }) => setStartedId(jobId) })}
        >
          {running ? 'Verifying…' : 'Verify integrity'}
        </button>
      }
    >
      <LastCheck integrity={integrity} />
      {verify.error !== null && <ErrorPanel error={verify.error} title="Verify could not start" />}
      {job !== undefined && (running || job.id === startedId) && (
        <div className="integrity__job" data-testid="verify-job">
          <JobProgressView job={job} />
          {job.state === 'failed' && job.error !== null && <InlineError error={job.error} />}
          {job.state === 'cancelled' && <p className="muted">Verify was cancelled; nothing was changed.</p>}
        </div>
      )}
      {report !== undefined && job?.id === startedId && (
        <div className={`verify-result ${report.ok ? 'verify-result--ok' : 'verify-result--bad'}`} data-testid="verify-result" data-ok={report.ok}>
          <div className="verify-result__head">
            {report.ok ? 'No problems found' : `${formatCount(report.problems.length)}${report.truncated ? '+' : ''} problems found`}
            <span className="muted">
              {' '}
              · {formatCount(report.checkedEvents)} events checked in {formatDuration(report.durationMs)}
            </span>
          </div>
          {report.problems.length > 0 && (
            <ul className="problem-list">
              {report.problems.map((p, i) => (
                <li key={i}>
                  <code className="problem-list__code">{p.code}</code>
                  {p.position === null ? <span className="problem-list__pos">file</span> : <a className="problem-list__pos mono" href={eventHref(p.position)}>#{formatCount(p.position)}</a>}
                  <span>{p.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
}

function LastCheck({ integrity }: { readonly integrity: IntegrityStatus | null }) {
  if (integrity === null)
    return (
      <div className="integrity__last">
        <div className="integrity__status">
          <span className="dot dot--neutral" /> Not verified yet
        </div>
        <p className="muted">Verify checks SQLite's integrity, every event's hash chain and the streams table. It runs in the background; the console stays usable.</p>
      </div>
    );
  return (
    <div className="integrity__last" data-testid="integrity-last">
      <div className={`integrity__status ${integrity.ok ? '' : 'tone-bad'}`}>
        <span className={`dot ${integrity.ok ? 'dot--ok' : 'dot--bad'}`} />
        {integrity.ok ? 'Passed' : `Failed: ${formatCount(integrity.problems)} problems, first at position ${integrity.firstBadPosition === null ? '—' : formatCount(integrity.firstBadPosition)}`}
      </div>
      <dl className="facts">
        <dt>Last verified</dt>
        <dd>
          <TimeStamp at={integrity.checkedAt} />
        </dd>
        <dt>Checked</dt>
        <dd>
          {formatCount(integrity.checkedEvents)} events, up to position {formatCount(integrity.headPosition)}
        </dd>
      </dl>
    </div>
  );
}
