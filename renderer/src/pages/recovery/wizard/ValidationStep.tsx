import type { JobInfo } from '../../../../../shared/jobs.js';
import type { ValidationReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { isValidationReport } from '../../../jobs/recoveryResults.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { KIND_LABELS } from '../../backups/labels.js';
import { archiveLabel } from '../labels.js';
import { StepJob, type StepJobWords } from './StepJob.js';

const VALIDATION_WORDS: StepJobWords = {
  start: 'Validate the archives',
  startTestId: 'validate-start',
  jobTestId: 'validate-job',
  cancelNote: 'Cancelling stops the checks; nothing has been written.',
  failed: 'The archives could not be validated',
  cancelled: 'Cancelled. Nothing was written.',
  again: 'Validate again',
};

interface ValidationStepProps {
  readonly job: JobInfo | undefined;
  readonly startError: Error | null;
  readonly starting: boolean;
  readonly onStart: () => void;
  readonly onBackToSource: () => void;
  readonly onNext: () => void;
}

/** Step 3: every archive of the plan verified (checksums, decryption, manifest, integrity, hash chain) before anything is written. */
export function ValidationStep({ job, startError, starting, onStart, onBackToSource, onNext }: ValidationStepProps) {
  const report = job?.state === 'succeeded' && isValidationReport(job.result) ? job.result : undefined;
  return (
    <div className="wizard-step" data-testid="step-validate">
      <h2 className="wizard-step__title">Validation, archive by archive</h2>
      <p className="muted wizard-step__lead">Nothing is written yet: each archive of the plan is decrypted, checked against its checksums and manifest, opened, and its hash chain walked.</p>
      {startError !== null && <ErrorPanel error={startError} title="The validation could not start" />}
      {report === undefined && (
        <StepJob
          job={job}
          startError={startError}
          starting={starting}
          onStart={onStart}
          words={VALIDATION_WORDS}
          moreActions={
            <button type="button" className="button button--quiet" onClick={onBackToSource}>
              Back to the source and key
            </button>
          }
        />
      )}
      {report !== undefined && <ValidationResult report={report} onAgain={onStart} onBackToSource={onBackToSource} onNext={onNext} />}
    </div>
  );
}

function ValidationResult({ report, onAgain, onBackToSource, onNext }: { readonly report: ValidationReport; readonly onAgain: () => void; readonly onBackToSource: () => void; readonly onNext: () => void }) {
  const failed = report.archives.filter((a) => !a.ok);
  const links = new Map(report.plan.links.map((l) => [l.archive, l]));
  const decryption = failed.some((a) => a.problems.some((p) => p.code === 'DECRYPTION_FAILED'));
  return (
    <div className={`verify-result ${report.ok ? 'verify-result--ok' : 'verify-result--bad'}`} data-testid="validation-result" data-ok={report.ok}>
      <div className="verify-result__head">
        {report.ok
          ? `All ${formatCount(report.archives.length)} ${report.archives.length === 1 ? 'archive is' : 'archives are'} valid`
          : `${formatCount(failed.length)} of ${formatCount(report.archives.length)} archives failed validation: nothing was restored`}
        <span className="muted"> · checked in {formatDuration(report.durationMs)}</span>
      </div>
      <table className="problem-table validation-table" aria-label="Validation of each archive">
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Kind</th>
            <th scope="col">Archive</th>
            <th scope="col" className="num">
              Events checked
            </th>
            <th scope="col" className="num">
              Took
            </th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {report.archives.map((a) => {
            const link = links.get(a.archive);
            return (
              <tr key={a.archive} data-testid="validation-archive" data-ok={a.ok} data-codes={a.problems.map((p) => p.code).join(' ')}>
                <td>
                  <span className={`status-pill status-pill--${a.ok ? 'ok' : 'bad'}`}>{a.ok ? 'ok' : 'problems'}</span>
                </td>
                <td>{link === undefined ? '—' : <span className={`kind-pill kind-pill--${link.kind}`}>{KIND_LABELS[link.kind]}</span>}</td>
                <td className="mono validation-table__name" title={a.archive}>
                  {archiveLabel(a.archive, report.plan.storeId)}
                </td>
                <td className="num">{formatCount(a.eventsChecked)}</td>
                <td className="num">{formatDuration(a.durationMs)}</td>
                <td>
                  {a.problems.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul className="problem-list">
                      {a.problems.map((p, i) => (
                        <li key={i}>
                          <code className="problem-list__code">{p.code}</code>
                          <span>
                            {p.member !== null && <span className="mono">{p.member}: </span>}
                            {p.message}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="wizard-step__actions">
        {report.ok ? (
          <button type="button" className="button button--primary" onClick={onNext} data-testid="validate-next">
            Next: dry run
          </button>
        ) : (
          <>
            <span className="tone-bad">{decryption ? 'The key does not open these archives: correct it in step 1, then validate again.' : 'Choose another target or chain, or repair the archives, then validate again.'}</span>
            <button type="button" className="button" onClick={onBackToSource} data-testid="validate-back">
              Back to the source and key
            </button>
          </>
        )}
        <button type="button" className="button button--quiet" onClick={onAgain}>
          Validate again
        </button>
      </div>
    </div>
  );
}
