import type { StoreProblem } from '../../../../../shared/api/types.js';
import type { Principal } from '../../../../../shared/security.js';
import { roleAllows } from '../../../../../shared/security.js';
import type { RecoveryReport } from '../../../../../shared/recovery.js';
import { ConfirmByTyping } from '../../../ui/ConfirmByTyping.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { restoreSentence } from '../report/summary.js';

interface ConfirmStepProps {
  readonly dryRun: RecoveryReport;
  readonly storeName: string | undefined;
  readonly storePath: string | undefined;
  /** Set while the store cannot be opened: there is nothing to close, its remains are set aside. */
  readonly storeProblem: StoreProblem | null;
  readonly principal: Principal | undefined;
  readonly starting: boolean;
  readonly startError: Error | null;
  readonly onConfirm: () => void;
  readonly onBack: () => void;
}

/** Step 5: what will change, in words, and the store's name typed before the restore can start. */
export function ConfirmStep({ dryRun, storeName, storePath, storeProblem, principal, starting, startError, onConfirm, onBack }: ConfirmStepProps) {
  if (storeName === undefined || principal === undefined) return <Skeleton width="30em" height="6em" />;
  const allowed = roleAllows(principal.role, 'admin');
  return (
    <div className="wizard-step" data-testid="step-confirm">
      <h2 className="wizard-step__title">Confirm the restore</h2>
      {!allowed ? (
        <ErrorPanel
          error={{ code: 'FORBIDDEN', message: `Restoring a store in place needs the admin role: ${principal.name} is signed in as ${principal.role}. The plan, validation and dry run above hold; an administrator can run the restore.` }}
          title="You cannot restore this store"
        />
      ) : (
        <ConfirmByTyping
          title={`Restore ${storeName} in place`}
          expected={storeName}
          what="the store’s name"
          confirmLabel={starting ? 'Starting…' : 'Restore the store'}
          busy={starting}
          onConfirm={onConfirm}
          onCancel={onBack}
          testId="confirm-restore"
        >
          <p className="plain-summary">{restoreSentence(dryRun, storeName)}</p>
          {storeProblem === null ? (
            <p className="muted">
              The store at <span className="mono">{storePath}</span> is closed while the restored store is built beside it, verified and swapped in; pages show it as busy meanwhile. If anything fails before the swap,
              the store stays as it is.
            </p>
          ) : (
            <p className="muted" data-testid="confirm-unopenable">
              The store at <span className="mono">{storePath}</span> cannot be opened ({storeProblem.code}): the restored store is built beside it, verified, and swapped in; what is there now is set aside, not
              deleted. Once swapped, the restored store is opened and every page reads it. If anything fails before the swap, the folder stays as it is.
            </p>
          )}
        </ConfirmByTyping>
      )}
      {startError !== null && <ErrorPanel error={startError} title="The restore could not start" />}
    </div>
  );
}
