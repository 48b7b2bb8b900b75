import { useApiMutation } from '../../api/hooks.js';
import { streamsHref } from '../../app/routes.js';
import { JobProgressView } from '../../jobs/JobProgressView.js';
import { useJobById } from '../../jobs/JobsProvider.js';
import { describeOutcome } from '../../jobs/jobOutcome.js';
import { ErrorPanel, InlineError } from '../../ui/ErrorPanel.js';
import { EmptyState } from '../../ui/Panel.js';

/** The empty store's page: what would fill it, and a demo domain to explore the console with. */
export function EmptyStore({ jobId, onStarted }: { readonly jobId: string | undefined; readonly onStarted: (jobId: string) => void }) {
  const load = useApiMutation('store.loadDemo');
  const job = useJobById(jobId);
  const running = job?.state === 'running' || load.isPending;
  return (
    <section className="panel panel--empty" data-testid="empty-store">
      <EmptyState
        title={job === undefined ? 'This store has no events yet' : job.state === 'succeeded' ? 'Demo dataset loaded' : 'Loading the demo dataset'}
        actions={
          job?.state === 'succeeded' ? (
            <a className="button button--primary" href={streamsHref()}>
              Browse the events
            </a>
          ) : (
            <button type="button" className="button button--primary" disabled={running} onClick={() => load.mutate({}, { onSuccess: ({ jobId: id }) => onStarted(id) })}>
              {running ? 'Loading demo dataset…' : 'Load demo dataset'}
            </button>
          )
        }
      >
        {job === undefined && (
          <>
            <p>
              Events appear here when an application appends them through the API, or from the command line with <code>pconsole append</code> or{' '}
              <code>pconsole import &lt;file.ndjson&gt;</code>.
            </p>
            <p>To explore the console first, load a generated demo domain: 100,000 events over 10,000 order, payment and shipment streams, linked by correlation and causation ids.</p>
          </>
        )}
        {job !== undefined && (
          <div className="demo-progress" data-testid="demo-job">
            <JobProgressView job={job} />
            {job.state === 'failed' && job.error !== null && <InlineError error={job.error} />}
            {job.state !== 'running' && job.state !== 'failed' && <p className={`tone-${describeOutcome(job).tone}`} data-testid="demo-outcome">{describeOutcome(job).text}</p>}
          </div>
        )}
        {load.error !== null && <ErrorPanel error={load.error} title="The demo dataset could not be loaded" />}
      </EmptyState>
    </section>
  );
}
