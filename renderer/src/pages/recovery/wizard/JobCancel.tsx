import { useApiMutation } from '../../../api/hooks.js';
import { InlineError } from '../../../ui/ErrorPanel.js';

/** Cancel for a running wizard job, with what cancelling leaves behind. */
export function JobCancel({ jobId, note }: { readonly jobId: string; readonly note: string }) {
  const cancel = useApiMutation('jobs.cancel');
  return (
    <div className="wizard-job__cancel">
      <button type="button" className="button button--small" disabled={cancel.isPending} onClick={() => cancel.mutate({ jobId })} data-testid="job-cancel">
        Cancel
      </button>
      <span className="muted">{note}</span>
      {cancel.error !== null && <InlineError error={cancel.error} />}
    </div>
  );
}
