import type { JobInfo } from '../../../../../shared/jobs.js';
import type { RecoveryReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { isRecoveryReport } from '../../../jobs/recoveryResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Panel } from '../../../ui/Panel.js';
import { LeftOutView } from '../report/LeftOutView.js';
import { DataLossView, RestoredView } from '../report/RestoredView.js';
import { restoreSentence } from '../report/summary.js';
import { StepJob, type StepJobWords } from './StepJob.js';

const DRY_RUN_WORDS: StepJobWords = {
  start: 'Start the dry run',
  startTestId: 'dry-run-start',
  jobTestId: 'dry-run-job',
  cancelNote: 'Cancelling deletes the scratch folder; the store is not touched.',
  failed: 'The dry run failed: the store was not touched',
  cancelled: 'Cancelled. The scratch folder was removed.',
  again: 'Run the dry run again',
};

interface DryRunStepProps {
  readonly job: JobInfo | undefined;
  readonly startError: Error | null;
  readonly starting: boolean;
  readonly storeName: string | undefined;
  /** False while the store cannot be opened: nothing of it can be compared with the restore. */
  readonly storeReadable: boolean;
  readonly onStart: () => void;
  readonly onNext: () => void;
}

/** Step 4: the restore built in a scratch folder and verified; what the store will hold and what it will lose. */
export function DryRunStep({ job, startError, starting, storeName, storeReadable, onStart, onNext }: DryRunStepProps) {
  const report = job?.state === 'succeeded' && isRecoveryReport(job.result) ? job.result : undefined;
  return (
    <div className="wizard-step" data-testid="step-dry-run">
      <h2 className="wizard-step__title">Dry run: what will be kept, what will be lost</h2>
      <p className="muted wizard-step__lead">
        The restore is built in a scratch folder, its hash chain walked and integrity_check run,{' '}
        {storeReadable ? 'then compared with the current store.' : 'then compared with what can still be read of the current store, which cannot be opened.'} The scratch folder is deleted; the store is not
        touched.
      </p>
      {startError !== null && <ErrorPanel error={startError} title="The dry run could not start" />}
      {report === undefined && <StepJob job={job} startError={startError} starting={starting} onStart={onStart} words={DRY_RUN_WORDS} />}
      {report !== undefined && <DryRunReport report={report} storeName={storeName} onAgain={onStart} onNext={onNext} />}
    </div>
  );
}

function DryRunReport({ report, storeName, onAgain, onNext }: { readonly report: RecoveryReport; readonly storeName: string | undefined; readonly onAgain: () => void; readonly onNext: () => void }) {
  return (
    <div className="dry-run" data-testid="dry-run-report" data-head={report.headPosition} data-left-out={report.leftOut.available ? report.leftOut.events : ''} data-left-out-available={report.leftOut.available}>
      <p className="plain-summary" data-testid="plain-summary">
        {restoreSentence(report, storeName)}
      </p>
      <div className="dry-run__grid">
        <Panel title="Will be restored" className="dry-run__kept">
          <RestoredView report={report} />
        </Panel>
        <Panel title={report.leftOut.available ? `Will be lost: ${formatCount(report.leftOut.events)} events after the target` : 'Will be lost: not known'} className="dry-run__lost">
          <LeftOutView leftOut={report.leftOut} />
        </Panel>
      </div>
      <DataLossView window={report.dataLoss} />
      <p className="muted dry-run__verified">
        Verified in the scratch folder: hash chain of {formatCount(report.verification.checkedEvents)} events, integrity_check {report.verification.integrityCheck}, from {formatCount(report.archives.length)}{' '}
        {report.archives.length === 1 ? 'archive' : 'archives'}
        {report.cutBack !== null && ` (the full archive cut back from #${formatCount(report.cutBack.from)} to #${formatCount(report.cutBack.to)})`}. Built and verified in {formatDuration(report.rtoMs)}: the restore itself should take about as long.
      </p>
      {report.warnings.length > 0 && (
        <ul className="warning-list">
          {report.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="wizard-step__actions">
        <button type="button" className="button button--primary" onClick={onNext} data-testid="dry-run-next">
          Next: confirm the restore
        </button>
        <button type="button" className="button button--quiet" onClick={onAgain}>
          Run the dry run again
        </button>
      </div>
    </div>
  );
}
