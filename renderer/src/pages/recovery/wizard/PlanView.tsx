import type { PlannedLink, RecoveryPlan } from '../../../../../shared/recovery.js';
import { formatBytes, formatCount } from '../../../format/numbers.js';
import { CopyId } from '../../../ui/CopyId.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { ENCRYPTION_LABELS, KIND_LABELS } from '../../backups/labels.js';
import { archiveLabel } from '../labels.js';

/** "1 full + 3 incrementals". */
function linkCounts(links: readonly PlannedLink[]): string {
  const full = links.filter((l) => l.kind === 'full').length;
  const incremental = links.length - full;
  return [full > 0 ? `${formatCount(full)} full` : null, incremental > 0 ? `${formatCount(incremental)} ${incremental === 1 ? 'incremental' : 'incrementals'}` : null].filter((p) => p !== null).join(' + ');
}

/**
 * The plan for the chosen target: where the restore stops, which archives it reads and how much of each,
 * what is cut back, and why a target is refused (a gap: the message names the missing range).
 */
export function PlanView({ plan, error, pending, onRetry }: { readonly plan: RecoveryPlan | undefined; readonly error: Error | null; readonly pending: boolean; readonly onRetry: () => void }) {
  if (error !== null) return <ErrorPanel error={error} title="This target cannot be restored" onRetry={onRetry} />;
  if (plan === undefined) return pending ? <Skeleton width="30em" height="4em" /> : null;
  const last = plan.links[plan.links.length - 1];
  const cut = plan.links.find((l) => l.usedTo < l.toPosition);
  return (
    <div className="plan" data-testid="plan" data-position={plan.position ?? ''}>
      <p className="plan__summary">
        {plan.position !== null ? (
          <>
            The restored store will hold events <strong>1 – {formatCount(plan.position)}</strong>
          </>
        ) : (
          <>The restore stops at the last event recorded at or before the time: its position is known once the archives are read</>
        )}
        , read from {formatCount(plan.links.length)} {plan.links.length === 1 ? 'archive' : 'archives'} ({linkCounts(plan.links)}).
        {plan.expectedHash !== null && (
          <span className="plan__hash">
            <span className="muted">Expected head hash</span> <CopyId value={plan.expectedHash} label="expected head hash" />
          </span>
        )}
      </p>
      {cut !== undefined && (
        <p className="plan__cut" data-testid="plan-cut">
          {KIND_LABELS[cut.kind]} archive <span className="mono">{archiveLabel(cut.name, plan.storeId)}</span> holds events up to #{formatCount(cut.toPosition)}: the restore cuts it back to #{formatCount(cut.usedTo)}, leaving out the {formatCount(cut.toPosition - cut.usedTo)} after the target.
        </p>
      )}
      <table className="problem-table plan__links" aria-label="Archives the restore reads">
        <colgroup>
          <col className="plan__col-kind" />
          <col />
          <col className="plan__col-num" />
          <col className="plan__col-num" />
          <col className="plan__col-enc" />
          <col className="plan__col-size" />
          <col className="plan__col-time" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Archive</th>
            <th scope="col" className="num">
              Holds
            </th>
            <th scope="col" className="num">
              Used up to
            </th>
            <th scope="col">Encryption</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {plan.links.map((l) => (
            <tr key={l.archive} data-testid="plan-link" data-kind={l.kind}>
              <td>
                <span className={`kind-pill kind-pill--${l.kind}`}>{KIND_LABELS[l.kind]}</span>
              </td>
              <td className="mono plan__name" title={l.archive}>
                {archiveLabel(l.name, plan.storeId)}
                {l.sidecarMissing && <span className="tone-warn"> (sidecar missing: manifest read from the archive)</span>}
              </td>
              <td className="num">
                {formatCount(l.fromPosition + 1)} – {formatCount(l.toPosition)}
              </td>
              <td className={`num${l.usedTo < l.toPosition ? ' tone-warn' : ''}`}>{formatCount(l.usedTo)}</td>
              <td>{ENCRYPTION_LABELS[l.encryption]}</td>
              <td className="num">{formatBytes(l.archiveBytes)}</td>
              <td>
                <TimeStamp at={l.createdAt} mode="relative" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.continuation.length > 0 && (
        <p className="muted">
          If no event after the time is found up to #{formatCount(last?.toPosition ?? 0)}, the restore continues into {formatCount(plan.continuation.length)} more{' '}
          {plan.continuation.length === 1 ? 'archive' : 'archives'} (imported events can carry older times).
        </p>
      )}
      {plan.blockingGap !== null && (
        <p className="tone-warn" data-testid="plan-gap">
          Beyond this chain: {plan.blockingGap.message}
        </p>
      )}
      {plan.warnings.length > 0 && (
        <ul className="warning-list" data-testid="plan-warnings">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
