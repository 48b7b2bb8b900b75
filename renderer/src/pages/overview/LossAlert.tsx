import { useState } from 'react';
import type { LossAcknowledgement } from '../../../../shared/api/contract.js';
import type { OpenProblem } from '../../../../shared/store.js';
import { roleAllows, type Principal } from '../../../../shared/security.js';
import { useApiMutation } from '../../api/hooks.js';
import { eventHref, recoveryHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { ConfirmByTyping } from '../../ui/ConfirmByTyping.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';

/**
 * The store's losses of events not acknowledged yet (issue 9, class 4), first on Overview: what is missing,
 * that writes are refused meanwhile, and the two ways on: restore from a backup, or (an admin, after typing
 * the store's folder name) accept the log as it is. Either way the evidence stays on record.
 */
export function LossAlert({
  problems,
  headPosition,
  storeName,
  principal,
  onAcknowledged,
}: {
  readonly problems: readonly OpenProblem[];
  readonly headPosition: number;
  readonly storeName: string | undefined;
  readonly principal: Principal | undefined;
  readonly onAcknowledged: (result: LossAcknowledgement) => void;
}) {
  const acknowledge = useApiMutation('store.acknowledgeLoss');
  const [confirming, setConfirming] = useState(false);
  const admin = principal !== undefined && roleAllows(principal.role, 'admin');
  return (
    <section className="alert alert--bad loss-alert" role="alert" data-testid="open-problems">
      <h2 className="alert__title">
        {problems.length === 1 ? 'This store lost events' : `This store has ${problems.length} losses of events`}: writes are refused
      </h2>
      <ul className="problem-list">
        {problems.map((p, i) => (
          <li key={i}>
            <code className="problem-list__code">{p.code}</code>
            <a className="problem-list__pos mono" href={eventHref(Math.max(1, p.position))}>
              #{formatCount(p.position)}
            </a>
            <span>{p.message}</span>
          </li>
        ))}
      </ul>
      <p className="alert__hint">
        Appends and imports are refused until the store is restored from a backup, or an administrator accepts the log as it is. Reading, verifying and backing up go on; the evidence stays on record
        either way.
      </p>
      {!confirming && (
        <div className="loss-alert__actions">
          <a className="button button--primary" href={recoveryHref()} data-testid="loss-restore">
            Restore from a backup
          </a>
          <button
            type="button"
            className="button"
            disabled={!admin || storeName === undefined}
            title={admin ? 'Accept the log as it is; writes resume' : `Acknowledging a loss needs the admin role${principal === undefined ? '' : `: ${principal.name} is ${principal.role}`}`}
            onClick={() => setConfirming(true)}
            data-testid="loss-acknowledge"
          >
            Acknowledge loss…
          </button>
        </div>
      )}
      {confirming && storeName !== undefined && (
        <ConfirmByTyping
          title={`Accept the log of ${storeName} as it is`}
          expected={storeName}
          what="the store folder’s name"
          confirmLabel={acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge the loss'}
          busy={acknowledge.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            acknowledge.mutate(
              { confirmStoreName: storeName },
              {
                onSuccess: (result) => {
                  setConfirming(false);
                  onAcknowledged(result);
                },
              },
            )
          }
          testId="confirm-acknowledge-loss"
        >
          <p>
            The events listed above stay missing: writes resume after position <span className="mono">{formatCount(headPosition)}</span>, and new events take the positions the lost ones had. The loss stays
            in the store’s record, marked acknowledged by {principal?.name ?? 'you'}, and the acknowledgement is written to the audit log.
          </p>
          <p className="muted">If the missing events matter, restore from a backup instead: nothing is lost by waiting.</p>
        </ConfirmByTyping>
      )}
      {acknowledge.error !== null && <ErrorPanel error={acknowledge.error} title="The loss could not be acknowledged" />}
    </section>
  );
}
